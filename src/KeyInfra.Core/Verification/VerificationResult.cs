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

    /// <summary>
    /// For a signature that is not valid, a short reason when KeyInfra can tell more than <see cref="Status"/>, such as
    /// "64-byte P1363 expected; 71 bytes that parse as DER" or "PSS expected; the signature verifies as PKCS#1 v1.5";
    /// otherwise <c>null</c>. Also recorded in <see cref="VerificationRecord.Detail"/>.
    /// </summary>
    /// <remarks>
    /// Diagnostic only: a signature in another encoding, padding or hash than the one asked for is still refused
    /// (strict parsing), whatever the detail says; ask again with the matching <see cref="Signing.SignatureOptions"/>
    /// if that is what the signer uses. The detail names encodings, lengths and algorithms, never key or document bytes.
    /// It is worked out only for a refused signature, so a valid verification costs nothing more.
    /// </remarks>
    public string? Detail { get; init; }
}
