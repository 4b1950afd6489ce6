using KeyInfra;
using KeyInfra.Audit;
using KeyInfra.Authorization;
using KeyInfra.Caching;
using KeyInfra.Diagnostics;
using KeyInfra.Encryption;
using KeyInfra.Encryption.Rotation;
using KeyInfra.Hosting;
using KeyInfra.Identity;
using KeyInfra.Keys;
using KeyInfra.PrivateKeys;
using KeyInfra.RowAuthentication;
using KeyInfra.Signing;
using KeyInfra.Storage;
using KeyInfra.Tenancy;
using KeyInfra.Verification;
using KeyInfra.Verification.Chain;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers KeyInfra in a service collection.</summary>
public static class KeyInfraServiceCollectionExtensions
{
    /// <summary>
    /// Adds KeyInfra's services: the key store, signer, verifier and verification log. Options are bound
    /// from the <c>KeyInfra</c> configuration section, then <paramref name="configure"/> runs, and they
    /// are validated when the host starts. Follow with a storage provider (<c>UseSqlite</c>,
    /// <c>UsePostgreSql</c>) and a master key source (<c>UseEnvironmentMasterKey</c>, …).
    /// </summary>
    /// <remarks>
    /// Order: <see cref="KeyInfraOptions"/>' defaults, then the <c>KeyInfra</c> configuration section, then every
    /// <paramref name="configure"/> in the order of the calls, so code wins over configuration. To let configuration win
    /// over code instead (code supplies defaults, operators override them), add <c>.ApplyConfigurationAfterCode()</c>.
    /// Safe to call more than once: services are added once, and every <paramref name="configure"/> runs.
    /// Every default is added with TryAdd, so a service the host registered first wins.
    /// Without a host, resolve <see cref="IHostedService"/>s and start them, or the master key is checked
    /// on the first write and migrations must be applied with <c>IKeyInfraMigrator</c>.
    /// </remarks>
    public static IKeyInfrastructureBuilder AddKeyInfrastructure(this IServiceCollection services, Action<KeyInfraOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.AddOptions<KeyInfraOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<KeyInfraOptions>, ConfigureKeyInfraOptionsFromConfiguration>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KeyInfraOptions>, KeyInfraOptionsValidator>());
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.AddLogging();
        services.AddMetrics();
        services.TryAddSingleton<KeyInfraMetrics>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ITenantContext, DefaultTenantContext>();
        services.TryAddSingleton<AsyncLocalCallerContext>();
        services.TryAddSingleton<ICallerContext>(sp => sp.GetRequiredService<AsyncLocalCallerContext>());
        services.TryAddSingleton<IKeyInfraAuthorizer, AllowAllAuthorizer>();
        services.TryAddSingleton<AccessGuard>();
        services.TryAddSingleton<IKeyInfraAccess, KeyInfraAccess>();

        services.TryAddSingleton<IKeyReader, RepositoryKeyReader>();

        // The caches read through the registered reader with every row authenticated first (one wrapper, whatever
        // the reader): nothing unauthenticated is parsed, imported or cached.
        services.TryAddSingleton(static provider => new KeyRowAuthenticator(
            provider.GetService<IEncryptionKeyProvider>(),
            provider.GetService<IEncryptionKeyProvider>() is null ? null : provider.GetRequiredService<MasterKeyValidator>(),
            provider.GetRequiredService<IKeyRepository>(),
            provider.GetRequiredService<Microsoft.Extensions.Logging.ILogger<KeyRowAuthenticator>>()));
        services.TryAddSingleton<IKeyRowAuthenticator, GuardedKeyRowAuthenticator>();
        services.TryAddSingleton(static provider => ActivatorUtilities.CreateInstance<ImportedKeyCache>(provider, AuthenticatedReader(provider)));
        services.TryAddSingleton(static provider => ActivatorUtilities.CreateInstance<SigningKeyCache>(provider, AuthenticatedReader(provider)));
        services.TryAddSingleton<IKeyCacheInvalidator, KeyCacheInvalidator>();
        services.TryAddSingleton<KeyChangePublisher>();
        services.TryAddSingleton<PrivateKeyBackendRegistry>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPrivateKeyBackend, SoftwarePrivateKeyBackend>());

        // The software backend encrypts under the master key when the host registered a key source; without one it
        // says so when asked to create a key (keys can still be imported and verified).
        services.TryAddSingleton(static provider => provider.GetService<IEncryptionKeyProvider>() is null
            ? new SoftwareKeyEncryption(null, null)
            : new SoftwareKeyEncryption(provider.GetRequiredService<IEnvelopeEncryptor>(), provider.GetRequiredService<MasterKeyValidator>()));
        services.TryAddSingleton<IKeyStore, KeyStore>();
        services.TryAddSingleton<Signer>();
        services.TryAddSingleton<ISigner>(static provider => provider.GetRequiredService<Signer>());
        services.TryAddSingleton<KeyInfra.Certificates.AuthorityStore>();
        services.TryAddSingleton<KeyInfra.Certificates.CertificateRows>();
        services.TryAddSingleton<KeyInfra.Certificates.CertificateMetrics>();
        services.TryAddSingleton<KeyInfra.Certificates.CertificateMaintenanceStatus>();
        services.TryAddSingleton<KeyInfra.Certificates.ICertificateAuthorities, KeyInfra.Certificates.CertificateAuthorities>();
        services.TryAddSingleton<KeyInfra.Certificates.ICertificateStore, KeyInfra.Certificates.CertificateStore>();
        services.TryAddSingleton<KeyInfra.Certificates.ICertificateMaintenance, KeyInfra.Certificates.CertificateMaintenance>();
        services.TryAddSingleton<IVerifier, Verifier>();
        services.TryAddSingleton<VerificationLog>();
        services.TryAddSingleton<IVerificationLog, VerificationLogReader>();
        services.TryAddSingleton<IVerificationLogWriter>(sp => sp.GetRequiredService<VerificationLog>());
        services.TryAddSingleton<AuditRecorder>();
        services.TryAddSingleton<IAuditTrail, AuditTrail>();
        services.TryAddSingleton<IVerificationLogAuditor, VerificationLogAuditor>();

        services.TryAddSingleton<IEnvelopeEncryptor, EnvelopeEncryptor>();
        services.TryAddSingleton<MasterKeyValidator>();
        services.TryAddSingleton<PrivateKeyReencryptor>();
        services.TryAddSingleton<IPrivateKeyReencryptor>(static provider => provider.GetRequiredService<PrivateKeyReencryptor>());
        services.TryAddSingleton<IMasterKeyRotation, MasterKeyRotation>();
        services.TryAddSingleton<ICredentialHasher, Pbkdf2CredentialHasher>();
        services.TryAddSingleton<RolePermissions>();
        services.TryAddSingleton(static provider => new IdentityRowAuthenticator(
            provider.GetService<IEncryptionKeyProvider>(),
            provider.GetService<IEncryptionKeyProvider>() is null ? null : provider.GetRequiredService<MasterKeyValidator>(),
            provider.GetRequiredService<Microsoft.Extensions.Logging.ILogger<IdentityRowAuthenticator>>()));
        services.TryAddSingleton<IdentityRows>();
        services.TryAddSingleton<AccessControlCache>();
        services.TryAddSingleton<CredentialThrottle>();
        services.TryAddSingleton<IUserStore, UserStore>();
        services.TryAddSingleton<IRoleStore, RoleStore>();
        services.TryAddSingleton<IApplicationStore, ApplicationStore>();
        services.TryAddSingleton<CurvePolicy>();
        services.TryAddSingleton<ICurveStore, CurveStore>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMasterKeyRewrapStep, IdentityRowsRewrapStep>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMasterKeyRewrapStep, KeyInfra.Certificates.CertificateAuthorityRowsRewrapStep>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMasterKeyRewrapStep, KeyInfra.Certificates.CertificateRowsRewrapStep>());

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, KeyInfraHostedService>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, KeyInfra.Certificates.CertificateMaintenanceService>());
        return new KeyInfrastructureBuilder(services);
    }

    private static AuthenticatingKeyReader AuthenticatedReader(IServiceProvider provider)
        => new(provider.GetRequiredService<IKeyReader>(), provider.GetRequiredService<KeyRowAuthenticator>());
}
