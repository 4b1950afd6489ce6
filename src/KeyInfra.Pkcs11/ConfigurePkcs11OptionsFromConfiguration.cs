using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KeyInfra.Pkcs11;

/// <summary>
/// Binds the <c>KeyInfra:Pkcs11</c> configuration section when the container has an <see cref="IConfiguration"/>; it
/// runs before the delegate given to <c>AddPkcs11</c>, so code wins over configuration.
/// </summary>
internal sealed class ConfigurePkcs11OptionsFromConfiguration(IServiceProvider services) : IConfigureOptions<Pkcs11Options>
{
    public const string SectionName = "KeyInfra:Pkcs11";

    public void Configure(Pkcs11Options options)
    {
        if (services.GetService<IConfiguration>() is { } configuration)
        {
            configuration.GetSection(SectionName).Bind(options);
        }
    }
}
