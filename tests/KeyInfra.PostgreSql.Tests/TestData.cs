using System.Security.Cryptography;
using KeyInfra.Keys;
using KeyInfra.Storage;
using KeyInfra.Verification;

namespace KeyInfra.PostgreSql.Tests;

/// <summary>Builds records for the repositories: real public keys, hashes of real data.</summary>
internal static class TestData
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 15, 10, 30, 0, TimeSpan.Zero);

    private static readonly byte[] s_publicKey = CreatePublicKey();

    public static KeyRecord Key(
        Guid tenantId,
        string name = "test key",
        string? ringName = null,
        int? ringVersion = null,
        string? owner = null,
        IReadOnlyDictionary<string, string>? metadata = null,
        string masterKeyId = "mk-1") => new()
    {
        Id = KeyId.New(),
        TenantId = tenantId,
        Name = name,
        Spec = KeySpec.EcdsaP256,
        PublicKeyData = s_publicKey,
        PublicKeyFormat = KeyFormat.Der,
        Status = KeyStatus.Active,
        CreatedAt = Epoch,
        RingName = ringName,
        RingVersion = ringVersion,
        Owner = owner,
        Metadata = metadata ?? new Dictionary<string, string>(),
        PrivateKey = new PrivateKeyRecord(PrivateKeyProtection.Envelope, RandomNumberGenerator.GetBytes(100), masterKeyId),
    };

    public static VerificationRecord Record(
        Guid tenantId,
        KeyId keyId,
        bool keyExists = true,
        VerificationStatus status = VerificationStatus.Valid,
        DateTimeOffset? verifiedAt = null,
        string? caller = "test-caller") => new()
    {
        Id = Guid.CreateVersion7(),
        TenantId = tenantId,
        RequestedKeyId = keyId,
        KeyExists = keyExists,
        Algorithm = keyExists ? KeySpec.EcdsaP256.Name : null,
        Status = status,
        DocumentSha256 = SHA256.HashData(Guid.NewGuid().ToByteArray()),
        SignatureSha256 = SHA256.HashData(Guid.NewGuid().ToByteArray()),
        VerifiedAt = verifiedAt ?? DateTimeOffset.UtcNow,
        Caller = caller,
    };

    private static byte[] CreatePublicKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportSubjectPublicKeyInfo();
    }
}
