namespace KeyInfra.RowAuthentication;

/// <summary>
/// The fields of a key row's canonical encoding, by tag. The list is append-only: a tag is never reused, renumbered
/// or given another meaning, and a field added later gets the next tag and is encoded only when it differs from its
/// default (so a row authenticated before the field existed still verifies, and a changed value never does).
/// docs/security/rows.md lists every tag and its byte layout.
/// </summary>
internal enum KeyRowField : ushort
{
    TenantId = 1,
    KeyId = 2,
    Algorithm = 3,
    Curve = 4,
    KeySizeBits = 5,
    PublicKeyFormat = 6,
    PublicKeyData = 7,
    Status = 8,
    CreatedAt = 9,
    ExpiresAt = 10,
    RevokedAt = 11,
    RevocationReason = 12,
    RingName = 13,
    RingVersion = 14,
    RowVersion = 15,
    DefaultSignatureEncoding = 16,
    DefaultRsaPadding = 17,
    DefaultPssSaltLength = 18,
    Name = 19,
    Owner = 20,
    Metadata = 21,
    HasPrivateKey = 22,
    PrivateKeyBackend = 23,

    /// <summary>The key requires low-S ECDSA signatures: <c>0x01</c>, present only when set.</summary>
    RequireLowS = 24,
}
