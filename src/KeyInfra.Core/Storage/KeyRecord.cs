using KeyInfra.Keys;
using KeyInfra.Signing;

namespace KeyInfra.Storage;

/// <summary>
/// A key as the storage layer holds it: everything in <see cref="KeyInfo"/> plus the public key as
/// imported and the protected private key. For implementers of <see cref="IKeyRepository"/>.
/// </summary>
public sealed record KeyRecord
{
    /// <summary>The key id.</summary>
    public required KeyId Id { get; init; }

    /// <summary>The owning tenant.</summary>
    public required Guid TenantId { get; init; }

    /// <summary>A human-readable name.</summary>
    public required string Name { get; init; }

    /// <summary>The key type.</summary>
    public required KeySpec Spec { get; init; }

    /// <summary>The public key exactly as imported (or DER SPKI for generated keys).</summary>
    public required byte[] PublicKeyData { get; init; }

    /// <summary>The format of <see cref="PublicKeyData"/>.</summary>
    public required KeyFormat PublicKeyFormat { get; init; }

    /// <summary>The status as stored.</summary>
    public required KeyStatus Status { get; init; }

    /// <summary>When the key was created (UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the key expires (UTC), if ever.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>When the key was revoked (UTC).</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>Why the key was revoked.</summary>
    public RevocationReason? RevocationReason { get; init; }

    /// <summary>The key ring, if any.</summary>
    public string? RingName { get; init; }

    /// <summary>The version in the ring.</summary>
    public int? RingVersion { get; init; }

    /// <summary>The owner, free text.</summary>
    public string? Owner { get; init; }

    /// <summary>Free-form metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>The default ECDSA signature encoding.</summary>
    public SignatureEncoding DefaultSignatureEncoding { get; init; } = SignatureEncoding.P1363;

    /// <summary>The default RSA padding.</summary>
    public RsaPadding DefaultRsaPadding { get; init; } = RsaPadding.Pss;

    /// <summary>The protected private key, or <c>null</c> for a verification-only key.</summary>
    public PrivateKeyRecord? PrivateKey { get; init; }
}
