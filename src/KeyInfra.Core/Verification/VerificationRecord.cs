using KeyInfra.Keys;

namespace KeyInfra.Verification;

/// <summary>
/// One entry of the verification log. Holds hashes of the document and signature, never the document.
/// </summary>
public sealed record VerificationRecord
{
    /// <summary>The record id (UUIDv7).</summary>
    public required Guid Id { get; init; }

    /// <summary>The tenant the verification ran in.</summary>
    public required Guid TenantId { get; init; }

    /// <summary>The key id the request named (which may not exist).</summary>
    public required KeyId RequestedKeyId { get; init; }

    /// <summary>Whether the key existed at verification time (and so is referenced by a foreign key).</summary>
    public required bool KeyExists { get; init; }

    /// <summary>The key's algorithm name (<see cref="KeySpec.Name"/>), or <c>null</c> when the key was not found.</summary>
    public string? Algorithm { get; init; }

    /// <summary>The outcome.</summary>
    public required VerificationStatus Status { get; init; }

    /// <summary>SHA-256 of the data, or of the caller's hash for a hash request (32 bytes).</summary>
    public required byte[] DocumentSha256 { get; init; }

    /// <summary>SHA-256 of the signature bytes (32 bytes).</summary>
    public required byte[] SignatureSha256 { get; init; }

    /// <summary>When the verification ran (UTC).</summary>
    public required DateTimeOffset VerifiedAt { get; init; }

    /// <summary>Who asked, free text (the request's caller, or the caller context's display name).</summary>
    public string? Caller { get; init; }

    /// <summary>The stable id of the caller (from the caller context), such as <c>user:…</c> or <c>app:…</c>; up to 200 characters.</summary>
    public string? CallerId { get; init; }

    /// <summary>A short reason for a refusal, such as "64-byte P1363 expected; 71 bytes that parse as DER"; up to 200 characters.</summary>
    public string? Detail { get; init; }
}
