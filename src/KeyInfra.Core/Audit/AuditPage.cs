namespace KeyInfra.Audit;

/// <summary>A page of audit records, newest first, and the cursor of the next page (<c>null</c> on the last).</summary>
/// <typeparam name="TRecord"><see cref="ControlPlaneAuditRecord"/> or <see cref="DataPlaneAuditRecord"/>.</typeparam>
/// <param name="Records">The records of this page.</param>
/// <param name="NextBefore">Pass as <see cref="AuditQuery.Before"/> for the next page; <c>null</c> when there is none.</param>
public sealed record AuditPage<TRecord>(IReadOnlyList<TRecord> Records, Guid? NextBefore);
