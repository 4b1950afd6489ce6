using KeyInfra.Core.Tests.Cryptography;
using KeyInfra.Keys;
using KeyInfra.Storage;

namespace KeyInfra.Core.Tests.Caching;

/// <summary>Key records as storage would hold them, for the cache tests.</summary>
internal static class TestKeyRecords
{
    public static readonly Guid Tenant = Guid.Parse("5d1b5cc4-7b4c-4d57-9a35-3e0cf6fbd2a0");

    /// <summary>An active Ed25519 key; with a private key of <paramref name="backend"/> when one is named.</summary>
    public static KeyRecord Active(string? backend = null)
    {
        var spki = TestKeys.For(KeySpec.Ed25519).ExportSpki();
        return new KeyRecord
        {
            Id = KeyId.New(),
            TenantId = Tenant,
            Name = "cached",
            Spec = KeySpec.Ed25519,
            PublicKeyData = spki,
            PublicKeyFormat = KeyFormat.Der,
            Status = KeyStatus.Active,
            CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-1),
            PrivateKey = backend is null ? null : new PrivateKeyRecord(PrivateKeyProtection.None, [1, 2, 3], null) { Backend = backend },
        };
    }

    public static KeyRecord Revoked(KeyRecord record) => record with
    {
        Status = KeyStatus.Revoked,
        RevokedAt = DateTimeOffset.UtcNow,
        RevocationReason = RevocationReason.KeyCompromise,
        Version = record.Version + 1,
    };
}
