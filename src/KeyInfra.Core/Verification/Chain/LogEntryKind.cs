namespace KeyInfra.Verification.Chain;

/// <summary>The kinds of entry a log group holds (verification log and audit logs). The values are part of the chain's stored format.</summary>
public enum LogEntryKind
{
    /// <summary>A row of <c>verification_records</c>: one verification.</summary>
    Record = 1,

    /// <summary>A row of <c>batch_verifications</c>: a batch's own fields.</summary>
    Batch = 2,

    /// <summary>A row of <c>batch_verification_items</c>: one verification of a batch.</summary>
    BatchItem = 3,

    /// <summary>A row of <c>control_plane_audit</c>: one change.</summary>
    ControlPlaneAudit = 4,

    /// <summary>A row of <c>data_plane_audit</c>: one decision.</summary>
    DataPlaneAudit = 5,
}
