using KeyInfra.Encryption;
using KeyInfra.Encryption.Rotation;
using KeyInfra.Pkcs11;
using KeyInfra.Pkcs11.Diagnostics;
using KeyInfra.Pkcs11.Keys;
using KeyInfra.Pkcs11.Sessions;
using KeyInfra.Pkcs11.Slots;
using KeyInfra.PrivateKeys;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds KeyInfra.Pkcs11 to KeyInfra.</summary>
public static class KeyInfraPkcs11BuilderExtensions
{
    /// <summary>
    /// Adds the <c>pkcs11</c> private-key backend (keys generated and used inside PKCS#11 tokens), the session pools, and
    /// <see cref="IHsmManager"/> for modules and slots. Options are bound from <c>KeyInfra:Pkcs11</c>, then
    /// <paramref name="configure"/> runs; they are validated when the host starts.
    /// </summary>
    /// <param name="builder">The builder from <c>AddKeyInfrastructure()</c>.</param>
    /// <param name="configure">Sets <see cref="Pkcs11Options"/>: at least the library path(s) this host allows.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <remarks>
    /// Needs a storage provider (the slots and modules are stored) and a master key source (slot PINs are encrypted).
    /// Safe to call more than once: services are added once, every <paramref name="configure"/> runs. Modules are
    /// loaded on first use, once per process.
    /// </remarks>
    public static IKeyInfrastructureBuilder AddPkcs11(this IKeyInfrastructureBuilder builder, Action<Pkcs11Options>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<Pkcs11Options>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<Pkcs11Options>, ConfigurePkcs11OptionsFromConfiguration>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<Pkcs11Options>, Pkcs11OptionsValidator>());
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton<Pkcs11Metrics>();
        services.TryAddSingleton(static provider => new SlotPins(
            provider.GetService<IEncryptionKeyProvider>() is null ? null : provider.GetRequiredService<IEnvelopeEncryptor>(),
            provider.GetRequiredService<ILogger<SlotPins>>()));
        services.TryAddSingleton<Pkcs11Runtime>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPrivateKeyBackend, Pkcs11PrivateKeyBackend>());
        services.TryAddSingleton<IHsmManager, HsmManager>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMasterKeyRewrapStep, HsmPinRewrapStep>());
        return builder;
    }
}
