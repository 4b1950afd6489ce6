using KeyInfra.Keys;
using KeyInfra.Signing;

namespace KeyInfra.EntityFrameworkCore.Entities;

/// <summary>A row of <c>public_keys</c>.</summary>
internal sealed class PublicKeyEntity
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public string Name { get; set; } = "";

    public KeyAlgorithm AlgorithmId { get; set; }

    /// <summary><c>null</c> for RSA.</summary>
    public KeyCurve? CurveId { get; set; }

    public int KeySizeBits { get; set; }

    public byte[] KeyData { get; set; } = [];

    public KeyFormat KeyFormat { get; set; }

    public KeyStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public RevocationReason? RevocationReason { get; set; }

    public string? RingName { get; set; }

    public int? RingVersion { get; set; }

    public string? Owner { get; set; }

    /// <summary>A JSON object of strings; <c>{}</c> when there is no metadata.</summary>
    public string Metadata { get; set; } = "{}";

    public SignatureEncoding DefaultSignatureEncoding { get; set; }

    public RsaPadding DefaultRsaPadding { get; set; }

    /// <summary><c>null</c>: the salt is as long as the hash.</summary>
    public int? DefaultPssSaltLength { get; set; }

    /// <summary>Only low-S ECDSA signatures verify; <c>false</c> on rows written before it was stored.</summary>
    public bool RequireLowS { get; set; }

    /// <summary>SHA-256 of the DER SPKI; <c>null</c> on rows written before it was stored.</summary>
    public byte[]? SpkiSha256 { get; set; }

    /// <summary>The RFC 7638 thumbprint, Base64url; <c>null</c> on rows written before it was stored.</summary>
    public string? JwkThumbprint { get; set; }

    /// <summary>The update counter: 1 on insert, incremented by every update.</summary>
    public long Version { get; set; } = 1;

    /// <summary>HMAC-SHA256 of the row's canonical encoding (32 bytes), made by KeyInfra.Core; <c>null</c> on rows written before row authentication.</summary>
    public byte[]? RowMac { get; set; }

    /// <summary>The master key whose row-authentication subkey made <see cref="RowMac"/>.</summary>
    public string? RowMacMasterKeyId { get; set; }

    public PrivateKeyEntity? PrivateKey { get; set; }
}
