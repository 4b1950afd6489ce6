using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KeyInfra.Core.Tests.Encryption;

/// <summary>
/// Argon2id for master secrets: known answers computed with the Argon2 reference implementation (libargon2, the PHC
/// winner's C code, called directly: <c>argon2id_hash_raw(t, m, p, pwd, salt, 32)</c>), the bounds a stored salt must
/// keep, and the environment source deriving with the database's salt.
/// </summary>
[TestClass]
public sealed class MasterSecretKdfTests
{
    private const string Secret = "correct-horse-battery-staple-0123456789";
    private static readonly byte[] SequentialSalt = [.. Enumerable.Range(0, 16).Select(i => (byte)i)];

    private static MasterSecretSalt Salt(byte[] salt, int memoryKib = 65536, int iterations = 3, int parallelism = 1, string algorithm = "argon2id")
        => new(algorithm, salt, memoryKib, iterations, parallelism, DateTimeOffset.UnixEpoch);

    private static EnvironmentMasterKeyProvider Provider(EnvironmentMasterKeyOptions options, IMasterKeyRepository? repository)
        => new(Options.Create(options), NullLogger<EnvironmentMasterKeyProvider>.Instance, repository);

    [TestMethod]
    [DataRow("password", "somesaltsomesalt", 65536, 2, "fc33b78139231d34b71626bd6245c1d72efa190ad605c3d8166a72adcedfa2c2")]
    [DataRow("correct-horse-battery-staple-0123456789", "000102030405060708090a0b0c0d0e0f", 65536, 3, "d5115cf5d5ee4e95982c9a49e36e6faba8d197a9ee68843c99d4b904bd62a962")]
    [DataRow("pässwörd-ünïcode-0123456789-abcdef", "101112131415161718191a1b1c1d1e1f", 19456, 2, "926d9bb556331b1c4740b0f13d67718374477dddd27a1a8a3d3b0212266ca3ce")]
    public void Derive_ReferenceImplementationVectors_Match(string password, string salt, int memoryKib, int iterations, string expected)
    {
        var saltBytes = salt.Length == 32 && salt.All(Uri.IsHexDigit) ? Convert.FromHexString(salt) : System.Text.Encoding.ASCII.GetBytes(salt);
        var key = new byte[32];

        MasterSecretKdf.Derive(System.Text.Encoding.UTF8.GetBytes(password), Salt(saltBytes, memoryKib, iterations), key);

        Assert.AreEqual(expected, Convert.ToHexStringLower(key));
    }

    public static IEnumerable<object[]> UnusableSalts =>
    [
        ["another algorithm", Salt(SequentialSalt, algorithm: "scrypt")],
        ["a short salt", Salt(new byte[15])],
        ["a long salt", Salt(new byte[17])],
        ["memory below the floor", Salt(SequentialSalt, memoryKib: 19455)],
        ["memory above the ceiling", Salt(SequentialSalt, memoryKib: 1024 * 1024 + 1)],
        ["one pass", Salt(SequentialSalt, iterations: 1)],
        ["too many passes", Salt(SequentialSalt, iterations: 65)],
        ["four lanes", Salt(SequentialSalt, parallelism: 4)],
    ];

    [TestMethod]
    [DynamicData(nameof(UnusableSalts))]
    public void Check_UnusableSalt_ThrowsSaltInvalid(string what, MasterSecretSalt salt)
    {
        var e = Assert.ThrowsExactly<MasterKeyException>(() => MasterSecretKdf.Check(salt), what);

        Assert.AreEqual(ErrorCodes.MasterSecretSaltInvalid, e.ErrorCode, what);
        Assert.Contains("master_secret_salts", e.Message, what);
    }

    [TestMethod]
    public void NewSalt_Always_IsRandomWithTheDocumentedCost()
    {
        var one = MasterSecretKdf.NewSalt(DateTimeOffset.UnixEpoch);
        var two = MasterSecretKdf.NewSalt(DateTimeOffset.UnixEpoch);

        MasterSecretKdf.Check(one);
        Assert.AreEqual(("argon2id", 65536, 3, 1), (one.Algorithm, one.MemoryKib, one.Iterations, one.Parallelism));
        Assert.HasCount(16, one.Salt);
        CollectionAssert.AreNotEqual(one.Salt, two.Salt);
    }

    [TestMethod]
    public async Task AcquireRingAsync_MasterSecret_DerivesWithArgon2idUnderTheStoredSalt()
    {
        var repository = new InMemoryMasterKeyRepository(Salt(SequentialSalt));
        using var provider = Provider(new EnvironmentMasterKeyOptions { MasterSecret = Secret }, repository);

        using var lease = await provider.AcquireRingAsync();

        Assert.AreEqual("d5115cf5d5ee4e95982c9a49e36e6faba8d197a9ee68843c99d4b904bd62a962", Convert.ToHexStringLower(lease.Ring.Current.KeyBytes));
        Assert.AreEqual(1, repository.SaltCalls);
    }

    [TestMethod]
    public async Task AcquireRingAsync_MasterSecretOnANewDatabase_StoresARandomSaltAndDerivesUnderIt()
    {
        var repository = new InMemoryMasterKeyRepository();
        using var provider = Provider(new EnvironmentMasterKeyOptions { MasterSecret = Secret }, repository);

        using var lease = await provider.AcquireRingAsync();

        var stored = repository.Salt!;
        var expected = new byte[32];
        MasterSecretKdf.Derive(System.Text.Encoding.UTF8.GetBytes(Secret), stored, expected);
        CollectionAssert.AreEqual(expected, lease.Ring.Current.KeyBytes.ToArray());
    }

    [TestMethod]
    public async Task AcquireRingAsync_SameSecretUnderAnotherSalt_GivesAnotherKeyAndId()
    {
        using var one = Provider(new EnvironmentMasterKeyOptions { MasterSecret = Secret }, new InMemoryMasterKeyRepository());
        using var other = Provider(new EnvironmentMasterKeyOptions { MasterSecret = Secret }, new InMemoryMasterKeyRepository());

        using var oneLease = await one.AcquireRingAsync();
        using var otherLease = await other.AcquireRingAsync();

        Assert.AreNotEqual(oneLease.Ring.Current.Id, otherLease.Ring.Current.Id);
        CollectionAssert.AreNotEqual(oneLease.Ring.Current.KeyBytes.ToArray(), otherLease.Ring.Current.KeyBytes.ToArray());
    }

    [TestMethod]
    public async Task AcquireRingAsync_KeyIdOfAnArgon2idKey_IsNotTheFingerprintOfTheHkdfKey()
    {
        // The id of the old derivation is computable from the secret alone; the new one needs the database's salt too.
        using var hkdf = Provider(new EnvironmentMasterKeyOptions { MasterSecret = Secret, MasterSecretDerivation = MasterSecretDerivation.HkdfSha256DevelopmentOnly }, null);
        using var argon = Provider(new EnvironmentMasterKeyOptions { MasterSecret = Secret }, new InMemoryMasterKeyRepository(Salt(SequentialSalt)));

        using var hkdfLease = await hkdf.AcquireRingAsync();
        using var argonLease = await argon.AcquireRingAsync();

        Assert.AreNotEqual(hkdfLease.Ring.Current.Id, argonLease.Ring.Current.Id);
    }

    [TestMethod]
    public async Task AcquireRingAsync_MasterSecretWithoutStorage_ThrowsMissingNamingTheRemedy()
    {
        using var provider = Provider(new EnvironmentMasterKeyOptions { MasterSecret = Secret }, null);

        var e = await Assert.ThrowsExactlyAsync<MasterKeyException>(async () => await provider.AcquireRingAsync());

        Assert.AreEqual(ErrorCodes.MasterKeyMissing, e.ErrorCode);
        Assert.Contains("UseSqlite", e.Message);
        Assert.DoesNotContain(Secret, e.Message);
    }

    [TestMethod]
    public async Task AcquireRingAsync_StoredSaltWithACheapCost_ThrowsSaltInvalid()
    {
        using var provider = Provider(new EnvironmentMasterKeyOptions { MasterSecret = Secret }, new InMemoryMasterKeyRepository(Salt(SequentialSalt, memoryKib: 8, iterations: 1)));

        var e = await Assert.ThrowsExactlyAsync<MasterKeyException>(async () => await provider.AcquireRingAsync());

        Assert.AreEqual(ErrorCodes.MasterSecretSaltInvalid, e.ErrorCode);
    }

    [TestMethod]
    public void Validate_MasterSecret_ChecksWithoutTouchingTheDatabase()
    {
        EnvironmentMasterKeyProvider.Validate(new EnvironmentMasterKeyOptions { MasterSecret = Secret });

        var e = Assert.ThrowsExactly<MasterKeyException>(() => EnvironmentMasterKeyProvider.Validate(new EnvironmentMasterKeyOptions { MasterSecret = "short" }));
        Assert.AreEqual(ErrorCodes.MasterKeyMalformed, e.ErrorCode);
    }

    [TestMethod]
    public void Validate_UnknownDerivation_ThrowsMalformedNamingTheVariable()
    {
        var e = Assert.ThrowsExactly<MasterKeyException>(() => EnvironmentMasterKeyProvider.Validate(new EnvironmentMasterKeyOptions { MasterSecret = Secret, MasterSecretDerivation = (MasterSecretDerivation)(-1) }));

        Assert.AreEqual(ErrorCodes.MasterKeyMalformed, e.ErrorCode);
        Assert.Contains("KEYINFRA_MASTER_SECRET_DERIVATION", e.Message);
    }
}
