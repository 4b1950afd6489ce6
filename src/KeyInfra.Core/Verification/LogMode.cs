namespace KeyInfra.Verification;

/// <summary>How verification outcomes are recorded.</summary>
public enum LogMode
{
    /// <summary>
    /// The default. A verification returns only after its record is committed to the database.
    /// Records of concurrent callers are committed together (group commit).
    /// </summary>
    Durable = 0,

    /// <summary>
    /// A verification returns once its record is queued. The queue is flushed on graceful shutdown;
    /// records still queued when the process dies are lost (the loss window is the queue's content,
    /// at most <see cref="VerificationLogOptions.BufferCapacity"/> records and typically a few milliseconds' worth).
    /// When the queue is full, callers wait: records are never dropped.
    /// </summary>
    Buffered = 1,

    /// <summary>Nothing is recorded. For benchmarks and hosts that keep their own audit trail.</summary>
    Off = 2,
}
