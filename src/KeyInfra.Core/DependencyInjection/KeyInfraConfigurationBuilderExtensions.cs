using KeyInfra;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses whether code or configuration has the last word on <see cref="KeyInfraOptions"/>.</summary>
public static class KeyInfraConfigurationBuilderExtensions
{
    /// <summary>
    /// Applies the <c>KeyInfra</c> configuration section again after every code delegate (the
    /// <c>AddKeyInfrastructure(o => …)</c> ones and any <c>Configure&lt;KeyInfraOptions&gt;</c>), so a setting present
    /// in configuration wins over the same setting in code; settings configuration leaves out keep the code's values.
    /// Use it when code holds defaults that operators override in <c>appsettings.json</c> or environment variables.
    /// </summary>
    /// <remarks>
    /// Without it the order is: the defaults in <see cref="KeyInfraOptions"/>, then the configuration section, then the
    /// code delegates in the order they were registered (code wins). With it, the section is bound once more in a
    /// post-configure step, after all of those. It covers <see cref="KeyInfraOptions"/> (the section's own keys,
    /// <c>VerificationLog</c> and <c>KeyCache</c>); validation still runs on the final values. Safe to call more
    /// than once, and before or after <c>AddKeyInfrastructure</c>'s other calls.
    /// </remarks>
    /// <param name="builder">The KeyInfra builder.</param>
    /// <returns>The same builder.</returns>
    public static IKeyInfrastructureBuilder ApplyConfigurationAfterCode(this IKeyInfrastructureBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<KeyInfraOptions>, ConfigureKeyInfraOptionsFromConfiguration>());
        return builder;
    }
}
