namespace KeyInfra.Verification;

/// <summary>Settings of the verification log.</summary>
public sealed class VerificationLogOptions
{
    /// <summary>How outcomes are recorded. Default: <see cref="LogMode.Durable"/>.</summary>
    public LogMode Mode { get; set; } = LogMode.Durable;

    /// <summary>The most records committed in one transaction. Default: 512. Range 1–10,000.</summary>
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>
    /// How long the writer waits for more records before committing a partial batch. Default: zero
    /// (commit whatever has arrived: under load batches fill by themselves while the previous commit runs).
    /// At most one second.
    /// </summary>
    public TimeSpan MaxBatchDelay { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// How many records may wait to be written. Callers wait when it is full (in every mode records are
    /// never dropped). Default: 10,000. Range 1–1,000,000.
    /// </summary>
    public int BufferCapacity { get; set; } = 10_000;

    /// <summary>The most requests one <see cref="IVerifier.VerifyBatchAsync"/> call accepts. Default: 100,000.</summary>
    public int MaxBatchRequests { get; set; } = 100_000;

    /// <summary>
    /// How often the log writer logs the heads of its chains (event <c>VerificationLogChainHead</c>, Information) when
    /// they moved, so that a copy outside the database can show that the newest groups were cut off
    /// (docs/security/log-chain.md). Default: 1 minute; 1 second to 1 day, or <see cref="TimeSpan.Zero"/> for never
    /// (the heads are then only logged when the writer stops, and read through <see cref="Chain.IVerificationLogAuditor.GetChainHeads"/>).
    /// </summary>
    public TimeSpan ChainHeadInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long the log writer gathers committed entries before it commits their chain digest, so that one digest covers
    /// every group commit of the interval and the groups in between carry none (docs/security/log-chain.md). Default:
    /// 1 second; <see cref="TimeSpan.Zero"/> to <see cref="MaxSealInterval"/>, zero sealing every group in its own transaction. A longer interval
    /// costs less but widens the window a crash leaves: entries committed since the last seal are never sealed if the
    /// process dies, and <c>log verify</c> then reports them as inserted. <see cref="IVerificationLog.FlushAsync"/> and a
    /// stopping host seal at once.
    /// </summary>
    public TimeSpan SealInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest <see cref="SealInterval"/> allowed: 5 minutes. Entries wait for their seal that long, and so does a
    /// <c>log verify</c> that finds another writer's recent entries not sealed yet.
    /// </summary>
    public static readonly TimeSpan MaxSealInterval = TimeSpan.FromMinutes(5);
}
