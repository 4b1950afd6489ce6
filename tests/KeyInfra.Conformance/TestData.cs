using System.Security.Cryptography;
using KeyInfra.Keys;
using KeyInfra.Storage;
using KeyInfra.Verification;

namespace KeyInfra.Tests;

/// <summary>Builds records for the repositories: real public keys, hashes of real data.</summary>
internal static class TestData
{
    /// <summary>
    /// The time the records are made at: yesterday 10:30 UTC, fixed for the run. Near the present, because the
    /// PostgreSQL application role may create log partitions only for months close to now.
    /// </summary>
    public static readonly DateTimeOffset Epoch = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(-1).AddHours(10.5);

    private static readonly byte[] s_publicKey = CreatePublicKey();

    /// <summary>A key record with a P-256 public key and an envelope-protected private key.</summary>
    public static KeyRecord Key(
        Guid tenantId,
        KeyId? id = null,
        string name = "test key",
        KeySpec? spec = null,
        KeyStatus status = KeyStatus.Active,
        string? ringName = null,
        int? ringVersion = null,
        string? owner = null,
        IReadOnlyDictionary<string, string>? metadata = null,
        bool withPrivateKey = true,
        string masterKeyId = "mk-1",
        DateTimeOffset? createdAt = null) => new()
    {
        Id = id ?? KeyId.New(),
        TenantId = tenantId,
        Name = name,
        Spec = spec ?? KeySpec.EcdsaP256,
        PublicKeyData = s_publicKey,
        PublicKeyFormat = KeyFormat.Der,
        Status = status,
        CreatedAt = createdAt ?? Epoch,
        RingName = ringName,
        RingVersion = ringVersion,
        Owner = owner,
        Metadata = metadata ?? new Dictionary<string, string>(),
        PrivateKey = withPrivateKey ? new PrivateKeyRecord(PrivateKeyProtection.Envelope, RandomNumberGenerator.GetBytes(100), masterKeyId) : null,
    };

    /// <summary>Key ids whose creation order is known (one millisecond apart).</summary>
    public static KeyId[] OrderedKeyIds(int count)
        => Enumerable.Range(0, count).Select(i => new KeyId(Guid.CreateVersion7(Epoch.AddMilliseconds(i)))).ToArray();

    public static VerificationRecord Record(
        Guid tenantId,
        KeyId keyId,
        bool keyExists = true,
        VerificationStatus status = VerificationStatus.Valid,
        DateTimeOffset? verifiedAt = null,
        string? caller = "test-caller",
        Guid? id = null) => new()
    {
        Id = id ?? Guid.CreateVersion7(),
        TenantId = tenantId,
        RequestedKeyId = keyId,
        KeyExists = keyExists,
        Algorithm = keyExists ? KeySpec.EcdsaP256.Name : null,
        Status = status,
        DocumentSha256 = SHA256.HashData(Guid.NewGuid().ToByteArray()),
        SignatureSha256 = SHA256.HashData(Guid.NewGuid().ToByteArray()),
        VerifiedAt = verifiedAt ?? Epoch,
        Caller = caller,
    };

    private static byte[] CreatePublicKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportSubjectPublicKeyInfo();
    }
}
