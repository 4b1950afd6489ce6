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

    /// <summary>
    /// The RSA-PSS salt length in bytes this key uses by default; <c>null</c> for the hash length (RFC 8017's
    /// recommendation). Ignored by other algorithms.
    /// </summary>
    public int? DefaultPssSaltLength { get; init; }

    /// <summary>Whether the key accepts only low-S ECDSA signatures (s ≤ n/2). Stored in <c>public_keys.require_low_s</c>.</summary>
    public bool RequireLowS { get; init; }

    /// <summary>SHA-256 of the DER SubjectPublicKeyInfo (32 bytes): finds a key by its public key.</summary>
    public byte[]? SpkiSha256 { get; init; }

    /// <summary>The RFC 7638 JWK thumbprint (SHA-256, Base64url without padding).</summary>
    public string? JwkThumbprint { get; init; }

    /// <summary>
    /// The row's update counter: 1 when added, incremented by the store on every change, so a stale copy of the key
    /// (in another cache layer) can be told from the current one.
    /// </summary>
    public long Version { get; init; } = 1;

    /// <summary>
    /// The protected private key, or <c>null</c> for a verification-only key, and in a read that leaves private key
    /// material out (<see cref="HasPrivateKey"/> then says whether there is one).
    /// </summary>
    public PrivateKeyRecord? PrivateKey { get; init; }

    /// <summary>
    /// Whether the key has a private key: <c>true</c> when <see cref="PrivateKey"/> is set, and set by a read that
    /// leaves the private key material out (for verification and listing) when the stored key has one.
    /// </summary>
    public bool HasPrivateKey
    {
        get => _hasPrivateKey || PrivateKey is not null || _privateKeyBackend is not null;
        init => _hasPrivateKey = value;
    }

    /// <summary>
    /// The name of the private-key backend that holds the key's private key, or <c>null</c> for a key without one:
    /// <see cref="PrivateKeyRecord.Backend"/> when <see cref="PrivateKey"/> is set, and set by a read that leaves the
    /// private key material out. Row authentication covers it, so a private key added to or moved under a key row
    /// outside KeyInfra is refused.
    /// </summary>
    public string? PrivateKeyBackend
    {
        get => PrivateKey?.Backend ?? _privateKeyBackend;
        init => _privateKeyBackend = value;
    }

    /// <summary>
    /// The row's MAC (HMAC-SHA256, 32 bytes) over its canonical encoding, made by KeyInfra under a subkey of the
    /// master key <see cref="RowMacMasterKeyId"/>; <c>null</c> on a row written before row authentication. A store
    /// keeps it as given and never computes or checks it: KeyInfra.Core does both.
    /// </summary>
    public byte[]? RowMac { get; init; }

    /// <summary>The id of the master key whose row-authentication subkey made <see cref="RowMac"/>; <c>null</c> with it.</summary>
    public string? RowMacMasterKeyId { get; init; }

    private readonly bool _hasPrivateKey;
    private readonly string? _privateKeyBackend;
}
