namespace KeyInfra.HealthChecks;

/// <summary>
/// The names and tags of KeyInfra's health checks, registered with
/// <c>services.AddHealthChecks().AddKeyInfrastructure()</c>, so a host can filter them
/// (<c>MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains(KeyInfraHealthChecks.ReadyTag) })</c>).
/// </summary>
/// <remarks>docs/operations.md describes what each check looks at and what its results mean.</remarks>
public static class KeyInfraHealthChecks
{
    /// <summary>The check that storage is reachable and its schema has every migration: <c>keyinfra.storage</c>.</summary>
    public const string StorageName = "keyinfra.storage";

    /// <summary>The check that the configured master keys fit the database: <c>keyinfra.master_key</c>.</summary>
    public const string MasterKeyName = "keyinfra.master_key";

    /// <summary>The check that the verification log's writer runs and is not backed up: <c>keyinfra.verification_log</c>.</summary>
    public const string VerificationLogName = "keyinfra.verification_log";

    /// <summary>
    /// The check that every certificate authority's CRL is current and the scheduled CRL pass succeeds:
    /// <c>keyinfra.certificates</c>. Not tagged <see cref="ReadyTag"/>: a stale CRL is for an operator to fix, and
    /// taking the instance out of service would not.
    /// </summary>
    public const string CertificatesName = "keyinfra.certificates";

    /// <summary>Carried by every KeyInfra check: <c>keyinfra</c>.</summary>
    public const string Tag = "keyinfra";

    /// <summary>Carried by checks that say whether this instance can serve requests: <c>ready</c>.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Carried by checks whose failure only a restart repairs: <c>live</c>.</summary>
    public const string LiveTag = "live";
}
