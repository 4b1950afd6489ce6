namespace KeyInfra.Verification;

/// <summary>The outcome of a batch verification.</summary>
/// <param name="BatchId">The id of the batch record, or <c>null</c> when the log is off.</param>
/// <param name="Results">One result per request, in request order.</param>
public sealed record BatchVerificationResult(Guid? BatchId, IReadOnlyList<VerificationResult> Results)
{
    /// <summary>How many signatures were valid.</summary>
    public int ValidCount => Results.Count(r => r.IsValid);

    /// <summary>Whether every signature was valid.</summary>
    public bool AllValid => Results.All(r => r.IsValid);
}
