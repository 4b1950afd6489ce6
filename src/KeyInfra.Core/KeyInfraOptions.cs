using KeyInfra.Verification;

namespace KeyInfra;

/// <summary>
/// KeyInfra's settings. Bound from the <c>KeyInfra</c> configuration section and then from the
/// delegate given to <c>AddKeyInfrastructure</c>; validated when the host starts.
/// </summary>
public sealed class KeyInfraOptions
{
    /// <summary>The configuration section KeyInfra binds: <c>KeyInfra</c>.</summary>
    public const string SectionName = "KeyInfra";

    /// <summary>The verification log settings.</summary>
    public VerificationLogOptions VerificationLog { get; } = new();

    /// <summary>The audit log settings (<c>KeyInfra:Audit</c>).</summary>
    public Audit.AuditOptions Audit { get; } = new();

    /// <summary>Curves disabled by configuration (<c>KeyInfra:Curves</c>).</summary>
    public Keys.CurveOptions Curves { get; } = new();

    /// <summary>The imported-key cache settings.</summary>
    public KeyCacheOptions KeyCache { get; } = new();

    /// <summary>How certificate authorities publish CRLs and how long expired certificates are kept (<c>KeyInfra:Certificates</c>).</summary>
    public Certificates.CertificateOptions Certificates { get; } = new();

    /// <summary>Roles defined in configuration (<c>KeyInfra:AccessControl</c>), merged with the built-in ones.</summary>
    public Authorization.AccessControlOptions AccessControl { get; } = new();

    /// <summary>How application secrets and user passwords are hashed (<c>KeyInfra:CredentialHashing</c>).</summary>
    public Identity.CredentialHashingOptions CredentialHashing { get; } = new();

    /// <summary>
    /// Whether the storage provider's migrations are applied when the host starts. Default: <c>true</c>.
    /// Turn off where a deployment step migrates the database (the sample's <c>migrate up</c>).
    /// </summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>
    /// The tenant of a single-tenant host, used by the default <see cref="Tenancy.ITenantContext"/>.
    /// Default: <see cref="Guid.Empty"/>.
    /// </summary>
    public Guid DefaultTenantId { get; set; } = Guid.Empty;

    /// <summary>
    /// The largest document, in bytes, that <see cref="IVerifier"/> and <see cref="Signing.ISigner"/> accept
    /// (larger ones should be hashed by the caller). Default: 64 MiB.
    /// </summary>
    public int MaxDocumentSize { get; set; } = 64 * 1024 * 1024;
}
