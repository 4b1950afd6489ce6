using KeyInfra.Verification;

namespace KeyInfra.Audit;

/// <summary>Settings of the audit logs (<c>KeyInfra:Audit</c>).</summary>
public sealed class AuditOptions
{
    /// <summary>
    /// How changes are recorded. Default: <see cref="LogMode.Durable"/>: a change returns once its record is committed
    /// (if that commit fails, the change is made but the call throws <see cref="Errors.VerificationLogException"/>).
    /// </summary>
    public LogMode ControlPlane { get; set; } = LogMode.Durable;

    /// <summary>
    /// How decisions are recorded. Default: <see cref="LogMode.Buffered"/>: the call goes on once its record is queued,
    /// so signing does not wait for a commit (a crash loses what was queued).
    /// </summary>
    public LogMode DataPlane { get; set; } = LogMode.Buffered;

    /// <summary>
    /// Whether verifications are recorded in the data plane too. Default: <c>false</c>: the verification log already
    /// holds every verification with its caller and outcome (<c>access_denied</c> for a denial).
    /// </summary>
    public bool RecordVerifications { get; set; }
}
