using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KeyInfra;

/// <summary>
/// Binds the <c>KeyInfra</c> configuration section when the container has an <see cref="IConfiguration"/>
/// (a generic host always does); a bare service collection simply skips it. Registered as a configure step (before
/// code delegates) and, after <c>ApplyConfigurationAfterCode()</c>, also as a post-configure step (after them).
/// </summary>
internal sealed class ConfigureKeyInfraOptionsFromConfiguration(IServiceProvider services) : IConfigureOptions<KeyInfraOptions>, IPostConfigureOptions<KeyInfraOptions>
{
    public void PostConfigure(string? name, KeyInfraOptions options)
    {
        if (name == Options.DefaultName)
        {
            Configure(options);
        }
    }

    public void Configure(KeyInfraOptions options)
    {
        if (services.GetService<IConfiguration>() is { } configuration)
        {
            configuration.GetSection(KeyInfraOptions.SectionName).Bind(options);
        }
    }
}
