using KeyInfra.Cryptography;
using KeyInfra.Keys;
using KeyInfra.Storage;

namespace KeyInfra.Caching;

/// <summary>Turns stored records into what callers see, decoding the stored public key strictly.</summary>
internal static class KeyRecordMapper
{
    public static KeyInfo ToInfo(KeyRecord record) => ToInfo(record, Decode(record));

    public static KeyInfo ToInfo(KeyRecord record, DecodedPublicKey decoded) => new()
    {
        Id = record.Id,
        TenantId = record.TenantId,
        Name = record.Name,
        Spec = record.Spec,
        PublicKeySpki = decoded.Spki,
        ImportedFormat = record.PublicKeyFormat,
        Status = record.Status,
        HasPrivateKey = record.PrivateKey is not null,
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
    };

    /// <summary>
    /// Decodes the stored public key. Stored keys passed the same checks on import, so a failure here means
    /// the row was altered outside KeyInfra: fail closed rather than guess.
    /// </summary>
    public static DecodedPublicKey Decode(KeyRecord record)
        => PublicKeyCodec.Decode(record.PublicKeyData, record.PublicKeyFormat, record.Spec);
}
