using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KeyInfra;

/// <summary>
/// Binds the <c>KeyInfra</c> configuration section when the container has an <see cref="IConfiguration"/>
/// (a generic host always does); a bare service collection simply skips it.
/// </summary>
internal sealed class ConfigureKeyInfraOptionsFromConfiguration(IServiceProvider services) : IConfigureOptions<KeyInfraOptions>
{
    public void Configure(KeyInfraOptions options)
    {
        if (services.GetService<IConfiguration>() is { } configuration)
        {
            configuration.GetSection(KeyInfraOptions.SectionName).Bind(options);
        }
    }
}
