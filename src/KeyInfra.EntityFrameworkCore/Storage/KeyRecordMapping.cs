using KeyInfra.EntityFrameworkCore.Entities;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Storage;

namespace KeyInfra.EntityFrameworkCore.Storage;

/// <summary>Maps between <see cref="KeyRecord"/> and the <c>public_keys</c> / <c>private_keys</c> rows.</summary>
internal static class KeyRecordMapping
{
    public static PublicKeyEntity ToEntity(KeyRecord key, DateTimeOffset now)
    {
        var entity = new PublicKeyEntity
        {
            Id = key.Id.Value,
            TenantId = key.TenantId,
            Name = key.Name,
            AlgorithmId = key.Spec.Algorithm,
            CurveId = key.Spec.Curve == KeyCurve.None ? null : key.Spec.Curve,
            KeySizeBits = key.Spec.KeySizeBits,
            KeyData = key.PublicKeyData,
            KeyFormat = key.PublicKeyFormat,
            Status = key.Status,
            CreatedAt = key.CreatedAt,
            UpdatedAt = now,
            ExpiresAt = key.ExpiresAt,
            RevokedAt = key.RevokedAt,
            RevocationReason = key.RevocationReason,
            RingName = key.RingName,
            RingVersion = key.RingVersion,
            Owner = key.Owner,
            Metadata = MetadataJson.Write(key.Metadata),
            DefaultSignatureEncoding = key.DefaultSignatureEncoding,
            DefaultRsaPadding = key.DefaultRsaPadding,
            DefaultPssSaltLength = key.DefaultPssSaltLength,
            RequireLowS = key.RequireLowS,
            SpkiSha256 = key.SpkiSha256,
            JwkThumbprint = key.JwkThumbprint,
            Version = key.Version,
            RowMac = key.RowMac,
            RowMacMasterKeyId = key.RowMacMasterKeyId,
        };

        if (key.PrivateKey is { } privateKey)
        {
            entity.PrivateKey = ToEntity(key.TenantId, key.Id, privateKey, now);
        }

        return entity;
    }

    public static PrivateKeyEntity ToEntity(Guid tenantId, KeyId keyId, PrivateKeyRecord privateKey, DateTimeOffset now) => new()
    {
        KeyId = keyId.Value,
        TenantId = tenantId,
        Backend = privateKey.Backend,
        Protection = privateKey.Protection,
        KeyMaterial = privateKey.Material,
        MasterKeyId = privateKey.MasterKeyId,
        HsmSlotId = privateKey.HsmSlotId,
        CreatedAt = now,
        UpdatedAt = now,
    };

    public static KeyRecord ToRecord(PublicKeyEntity entity) => new()
    {
        Id = new KeyId(entity.Id),
        TenantId = entity.TenantId,
        Name = entity.Name,
        Spec = ToSpec(entity),
        PublicKeyData = entity.KeyData,
        PublicKeyFormat = entity.KeyFormat,
        Status = entity.Status,
        CreatedAt = entity.CreatedAt,
        ExpiresAt = entity.ExpiresAt,
        RevokedAt = entity.RevokedAt,
        RevocationReason = entity.RevocationReason,
        RingName = entity.RingName,
        RingVersion = entity.RingVersion,
        Owner = entity.Owner,
        Metadata = MetadataJson.Read(entity.Metadata, entity.Id),
        DefaultSignatureEncoding = entity.DefaultSignatureEncoding,
        DefaultRsaPadding = entity.DefaultRsaPadding,
        DefaultPssSaltLength = entity.DefaultPssSaltLength,
        RequireLowS = entity.RequireLowS,
        SpkiSha256 = entity.SpkiSha256,
        JwkThumbprint = entity.JwkThumbprint,
        Version = entity.Version,
        RowMac = entity.RowMac,
        RowMacMasterKeyId = entity.RowMacMasterKeyId,
        PrivateKey = entity.PrivateKey is { } privateKey ? ToRecord(privateKey) : null,
    };

    public static PrivateKeyRecord ToRecord(PrivateKeyEntity entity)
        => new(entity.Protection, entity.KeyMaterial, entity.MasterKeyId) { Backend = entity.Backend, HsmSlotId = entity.HsmSlotId };

    private static KeySpec ToSpec(PublicKeyEntity entity)
    {
        try
        {
            return entity switch
            {
                { AlgorithmId: KeyAlgorithm.Rsa, CurveId: null } => KeySpec.Rsa(entity.KeySizeBits),
                { AlgorithmId: KeyAlgorithm.Ecdsa or KeyAlgorithm.EdDsa, CurveId: { } curve } when KeySpec.ForCurve(curve) is var spec
                    && spec.Algorithm == entity.AlgorithmId && spec.KeySizeBits == entity.KeySizeBits => spec,
                _ => throw InvalidSpec(entity, null),
            };
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw InvalidSpec(entity, ex);
        }
    }

    private static KeyInfraException InvalidSpec(PublicKeyEntity entity, Exception? inner)
        => new(
            ErrorCodes.StoredDataInvalid,
            $"Key {entity.Id} is stored with algorithm {(int)entity.AlgorithmId}, curve {(entity.CurveId is { } c ? ((int)c).ToString(System.Globalization.CultureInfo.InvariantCulture) : "none")} and size {entity.KeySizeBits}, which is not a key type KeyInfra supports. Correct the row.",
            inner);
}
