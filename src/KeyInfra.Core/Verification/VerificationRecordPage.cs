namespace KeyInfra.Verification;

/// <summary>One page of the verification log.</summary>
/// <param name="Items">The records, newest first.</param>
/// <param name="NextCursor">Pass as <see cref="VerificationLogQuery.Before"/> for the next page; <c>null</c> on the last.</param>
public sealed record VerificationRecordPage(IReadOnlyList<VerificationRecord> Items, Guid? NextCursor);
