using KeyInfra.Keys;

namespace KeyInfra.Verification;

/// <summary>The outcome of one verification.</summary>
/// <param name="KeyId">The key id the request named.</param>
/// <param name="Status">Valid, or why not.</param>
/// <param name="RecordId">The id of the verification record, or <c>null</c> when the log is off.</param>
public sealed record VerificationResult(KeyId KeyId, VerificationStatus Status, Guid? RecordId)
{
    /// <summary>Whether the signature is valid.</summary>
    public bool IsValid => Status == VerificationStatus.Valid;
}
