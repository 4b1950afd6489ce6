using KeyInfra.Cryptography;
using KeyInfra.Keys;
using KeyInfra.Storage;

namespace KeyInfra.Caching;

/// <summary>
/// Turns stored records into what callers see, parsing the stored public key strictly but without importing it into
/// the platform (listing and reading keys need no platform key objects).
/// </summary>
internal static class KeyRecordMapper
{
    public static KeyInfo ToInfo(KeyRecord record) => ToInfo(record, ReadPublicKey(record).ToSpki());

    public static KeyInfo ToInfo(KeyRecord record, DecodedPublicKey decoded) => ToInfo(record, decoded.Spki);

    public static KeyInfo ToInfo(KeyRecord record, byte[] spki) => new()
    {
        Id = record.Id,
        TenantId = record.TenantId,
        Name = record.Name,
        Spec = record.Spec,
        PublicKeySpki = spki,
        ImportedFormat = record.PublicKeyFormat,
        Status = record.Status,
        HasPrivateKey = record.HasPrivateKey,
        CreatedAt = record.CreatedAt,
        ExpiresAt = record.ExpiresAt,
        RevokedAt = record.RevokedAt,
        RevocationReason = record.RevocationReason,
        RingName = record.RingName,
        RingVersion = record.RingVersion,
        Owner = record.Owner,
        Metadata = record.Metadata,
        DefaultSignatureEncoding = record.DefaultSignatureEncoding,
        DefaultRsaPadding = record.DefaultRsaPadding,
        DefaultPssSaltLength = record.DefaultPssSaltLength,
        RequireLowS = record.RequireLowS,
        Version = record.Version,
    };

    /// <summary>
    /// Decodes the stored public key. Stored keys passed the same checks on import, so a failure here means
    /// the row was altered outside KeyInfra: fail closed rather than guess.
    /// </summary>
    public static DecodedPublicKey Decode(KeyRecord record)
        => PublicKeyCodec.Decode(record.PublicKeyData, record.PublicKeyFormat, record.Spec);

    /// <summary>
    /// Parses the stored public key with the structural checks only (no platform import). Stored keys passed every
    /// check on import, so a failure here means the row was altered outside KeyInfra: fail closed.
    /// </summary>
    public static PublicKeyMaterial ReadPublicKey(KeyRecord record)
        => PublicKeyCodec.Read(record.PublicKeyData, record.PublicKeyFormat, record.Spec);
}
