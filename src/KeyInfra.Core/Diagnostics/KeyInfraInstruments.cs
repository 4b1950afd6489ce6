namespace KeyInfra.Diagnostics;

/// <summary>
/// The name of KeyInfra's <see cref="System.Diagnostics.Metrics.Meter"/>, of its instruments and of their tags,
/// so a host can subscribe (OpenTelemetry: <c>AddMeter(KeyInfraInstruments.MeterName)</c>) and build dashboards.
/// </summary>
/// <remarks>
/// Names follow OpenTelemetry's semantic-convention style: lowercase, dot-separated, units in UCUM
/// (<c>s</c>, <c>{record}</c>). Tags carry no key ids, tenants or callers, so their cardinality stays bounded.
/// docs/operations.md describes every instrument.
/// </remarks>
public static class KeyInfraInstruments
{
    /// <summary>The meter's name: <c>KeyInfra</c>.</summary>
    public const string MeterName = "KeyInfra";

    /// <summary>Counter of verifications (single and batch items), tagged by <see cref="VerificationResultTag"/> and <see cref="KeyAlgorithmTag"/>.</summary>
    public const string Verifications = "keyinfra.verifications";

    /// <summary>Histogram of the time a single verification took, recording included, in seconds; same tags as <see cref="Verifications"/>.</summary>
    public const string VerificationDuration = "keyinfra.verification.duration";

    /// <summary>Counter of signing calls, tagged by <see cref="SignatureOutcomeTag"/>, <see cref="KeyAlgorithmTag"/> (on success) and <see cref="ErrorTypeTag"/> (on failure).</summary>
    public const string Signatures = "keyinfra.signatures";

    /// <summary>Observable up-down counter: records waiting in the verification log's queue.</summary>
    public const string VerificationLogQueueLength = "keyinfra.verification_log.queue.length";

    /// <summary>Histogram of the records committed in one verification-log transaction.</summary>
    public const string VerificationLogCommitBatchSize = "keyinfra.verification_log.commit.batch_size";

    /// <summary>Histogram of the time one verification-log commit took, in seconds; tagged by <see cref="ErrorTypeTag"/> when it failed.</summary>
    public const string VerificationLogCommitDuration = "keyinfra.verification_log.commit.duration";

    /// <summary>
    /// Observable gauge: the sequence number of the newest committed group of each of this process's verification-log
    /// chains, tagged by <see cref="ChainIdTag"/> and <see cref="TenantIdTag"/> (one series per chain and tenant; a new
    /// chain starts at each process start and after a failed commit). A monitoring system that keeps it has a copy of
    /// how far each chain went; the digest itself is in event 1100.
    /// </summary>
    public const string VerificationLogChainSequence = "keyinfra.verification_log.chain.sequence";

    /// <summary>Counter of key lookups answered from a cache, tagged by <see cref="KeyCacheTag"/>.</summary>
    public const string KeyCacheHits = "keyinfra.key_cache.hits";

    /// <summary>Counter of key lookups a cache could not answer, tagged by <see cref="KeyCacheTag"/>.</summary>
    public const string KeyCacheMisses = "keyinfra.key_cache.misses";

    /// <summary>Counter of keys read from storage into a cache, tagged by <see cref="KeyCacheTag"/>.</summary>
    public const string KeyCacheLoads = "keyinfra.key_cache.loads";

    /// <summary>
    /// Counter of keys dropped from this process's caches because another process changed them (PostgreSQL NOTIFY, the
    /// SQLite change detector), tagged by <see cref="KeyChangeSourceTag"/>.
    /// </summary>
    public const string KeyChangesReceived = "keyinfra.key_changes.received";

    /// <summary>
    /// Counter of times every cached key was dropped because changes made elsewhere may have been missed (a lost or
    /// silent notification connection, a change counter that went back), tagged by <see cref="KeyChangeSourceTag"/> and
    /// <see cref="KeyChangeResetReasonTag"/>.
    /// </summary>
    public const string KeyChangeResets = "keyinfra.key_changes.resets";

    /// <summary>Tag: where changes made elsewhere come from, <c>sqlite</c> or <c>postgresql</c>.</summary>
    public const string KeyChangeSourceTag = "keyinfra.key_changes.source";

    /// <summary>
    /// Tag: why every cached key was dropped: <c>connected</c> (a (re)connect, changes before it were not seen),
    /// <c>connection_lost</c>, <c>heartbeat_missed</c>, <c>counter_reset</c> (SQLite's change counter went back),
    /// <c>overflow</c> (too many changes at once to drop one by one), <c>malformed</c>.
    /// </summary>
    public const string KeyChangeResetReasonTag = "keyinfra.key_changes.reset_reason";

    /// <summary>Counter: reads of a refreshing master key source's keys (the first load and each refresh), by source, kind and outcome.</summary>
    public const string MasterKeySourceReads = "keyinfra.master_key_source.reads";

    /// <summary>Observable gauge, seconds: since a refreshing master key source last read its keys successfully; grows while refreshes fail.</summary>
    public const string MasterKeySourceLastSuccessAge = "keyinfra.master_key_source.last_success.age";

    /// <summary>Tag: the master key source (<c>vault</c>, <c>aws-secrets-manager</c>, <c>aws-kms</c>, <c>azure-key-vault</c>, …).</summary>
    public const string MasterKeySourceTag = "keyinfra.master_key_source.name";

    /// <summary>Tag: <c>load</c> (the first read) or <c>refresh</c>.</summary>
    public const string MasterKeySourceReadKindTag = "keyinfra.master_key_source.read_kind";

    /// <summary>Counter: items a master key re-wrap (<c>master-key rewrap</c>) moved under the current key, or could not, by step and outcome.</summary>
    public const string MasterKeyRewrapItems = "keyinfra.master_key.rewrap.items";

    /// <summary>Tag: the re-wrap step (<c>private-keys</c>, <c>key-rows</c>, <c>log-digests</c>, <c>hsm-pins</c>, …).</summary>
    public const string MasterKeyRewrapStepTag = "keyinfra.master_key.rewrap.step";

    /// <summary>Tag: <c>moved</c> (brought under the current key) or <c>failed</c> (left as it was).</summary>
    public const string MasterKeyRewrapOutcomeTag = "keyinfra.master_key.rewrap.outcome";

    /// <summary>Tag: the verification's result, the <c>VerificationStatus</c> in snake case (<c>valid</c>, <c>invalid_signature</c>, <c>key_not_found</c>, …).</summary>
    public const string VerificationResultTag = "keyinfra.verification.result";

    /// <summary>Tag: the key's spec name (<c>ecdsa-p256</c>, <c>ed25519</c>, <c>rsa-3072</c>, …); absent when the key was not found.</summary>
    public const string KeyAlgorithmTag = "keyinfra.key.algorithm";

    /// <summary>Tag: <c>success</c> or <c>failure</c>.</summary>
    public const string SignatureOutcomeTag = "keyinfra.signature.outcome";

    /// <summary>Tag (OpenTelemetry's <c>error.type</c>): the KeyInfra error code (<c>KI1001</c>) or the exception's type name.</summary>
    public const string ErrorTypeTag = "error.type";

    /// <summary>Tag: a verification-log chain id (<see cref="VerificationLogChainSequence"/>).</summary>
    public const string ChainIdTag = "keyinfra.verification_log.chain_id";

    /// <summary>Tag: a tenant id (<see cref="VerificationLogChainSequence"/>).</summary>
    public const string TenantIdTag = "keyinfra.tenant_id";

    /// <summary>Tag: which cache, <see cref="PublicKeyCache"/> or <see cref="SigningKeyCache"/>.</summary>
    public const string KeyCacheTag = "keyinfra.key_cache.name";

    /// <summary>The value of <see cref="KeyCacheTag"/> for the cache of imported public keys verification uses.</summary>
    public const string PublicKeyCache = "public_keys";

    /// <summary>The value of <see cref="KeyCacheTag"/> for the cache of decrypted private keys signing uses.</summary>
    public const string SigningKeyCache = "signing_keys";

    /// <summary>Counter: certificates issued by KeyInfra's authorities, tagged <see cref="CertificateOperationTag"/>.</summary>
    public const string CertificatesIssued = "keyinfra.certificates.issued";

    /// <summary>Counter: certificates revoked, tagged <see cref="CertificateRevocationReasonTag"/>.</summary>
    public const string CertificatesRevoked = "keyinfra.certificates.revoked";

    /// <summary>Counter: CRLs signed and stored, whatever asked for them.</summary>
    public const string CertificateCrlsPublished = "keyinfra.certificates.crls.published";

    /// <summary>Counter: expired certificates removed by the retention job.</summary>
    public const string CertificatesRetired = "keyinfra.certificates.retired";

    /// <summary>Counter: authorities whose scheduled CRL failed and failed retention runs, tagged <see cref="CertificateMaintenanceStepTag"/>.</summary>
    public const string CertificateMaintenanceFailures = "keyinfra.certificates.maintenance.failures";

    /// <summary>Tag: <c>issue</c> or <c>renew</c>.</summary>
    public const string CertificateOperationTag = "keyinfra.certificate.operation";

    /// <summary>Tag: the RFC 5280 reason in snake case (<c>key_compromise</c>, <c>superseded</c>, …).</summary>
    public const string CertificateRevocationReasonTag = "keyinfra.certificate.revocation_reason";

    /// <summary>Tag: the maintenance step, <c>crl</c> or <c>retention</c>.</summary>
    public const string CertificateMaintenanceStepTag = "keyinfra.certificates.maintenance.step";
}
