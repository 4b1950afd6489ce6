using System.Text;
using KeyInfra.Errors;
using KeyInfra.Identity;
using Microsoft.Extensions.Options;

namespace KeyInfra.Core.Tests.Identity;

[TestClass]
public sealed class Pbkdf2CredentialHasherTests
{
    // The lowest count the hasher accepts keeps these tests fast; the default is checked once below.
    private static readonly Pbkdf2CredentialHasher s_hasher = Hasher(CredentialHashingOptions.MinIterations);

    // PBKDF2-HMAC-SHA256 known answers: the RFC 6070 inputs with SHA-256 (as published alongside it, and checked against
    // OpenSSL's implementation), and the vectors of RFC 7914 section 11.
    [TestMethod]
    [DataRow("password", "salt", 1, "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b")]
    [DataRow("password", "salt", 2, "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43")]
    [DataRow("password", "salt", 4096, "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a")]
    [DataRow("passwordPASSWORDpassword", "saltSALTsaltSALTsaltSALTsaltSALTsalt", 4096, "348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1c635518c7dac47e9")]
    [DataRow("pass\0word", "sa\0lt", 4096, "89b69d0516f829893c696226650a8687")]
    [DataRow("passwd", "salt", 1, "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783")]
    [DataRow("Password", "NaCl", 80000, "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d")]
    public void Derive_KnownAnswers(string password, string salt, int iterations, string expectedHex)
    {
        var derived = new byte[expectedHex.Length / 2];

        Pbkdf2CredentialHasher.Derive(password, Encoding.ASCII.GetBytes(salt), iterations, derived);

        Assert.AreEqual(expectedHex, Convert.ToHexStringLower(derived));
    }

    [TestMethod]
    public void Hash_IsTheSeedFormatWithARandomSaltAndTheConfiguredIterations()
    {
        var first = s_hasher.Hash("correct horse battery staple");
        var second = s_hasher.Hash("correct horse battery staple");

        var parts = first.Split(':');
        Assert.HasCount(4, parts);
        Assert.AreEqual("pbkdf2_sha256", parts[0]);
        Assert.AreEqual("100000", parts[1]);
        Assert.AreEqual(32, parts[2].Length, "a 16-byte salt");
        Assert.AreEqual(64, parts[3].Length, "a 32-byte hash");
        Assert.AreNotEqual(first, second, "a new salt every time");
        Assert.DoesNotContain("correct horse", first);
    }

    [TestMethod]
    public void Hash_ByDefault_Uses600000Iterations()
    {
        var hash = new Pbkdf2CredentialHasher(Options.Create(new KeyInfraOptions())).Hash("s3cret-value");

        StringAssert.StartsWith(hash, "pbkdf2_sha256:600000:");
    }

    [TestMethod]
    public void Verify_TheRightSecret_Succeeds_AnyOtherFails()
    {
        var hash = s_hasher.Hash("app-secret-Ω-1");

        Assert.AreEqual(CredentialCheck.Succeeded, s_hasher.Verify("app-secret-Ω-1", hash));
        Assert.AreEqual(CredentialCheck.Failed, s_hasher.Verify("app-secret-Ω-2", hash));
        Assert.AreEqual(CredentialCheck.Failed, s_hasher.Verify("APP-SECRET-Ω-1", hash));
    }

    [TestMethod]
    public void Verify_AHashWithFewerIterationsThanConfigured_SucceedsAskingForARehash()
    {
        var old = s_hasher.Hash("rotate me");

        Assert.AreEqual(CredentialCheck.SucceededRehashNeeded, Hasher(200_000).Verify("rotate me", old));
        Assert.AreEqual(CredentialCheck.Failed, Hasher(200_000).Verify("not me", old), "a rehash is asked for only after a match");
    }

    [TestMethod]
    public void Verify_AHashChangedInOnePlace_Fails()
    {
        var hash = s_hasher.Hash("tamper target");
        var last = hash[^1];
        var tampered = hash[..^1] + (last == '0' ? '1' : '0');
        var saltChanged = hash.Replace(hash.Split(':')[2], new string('a', 32), StringComparison.Ordinal);

        Assert.AreEqual(CredentialCheck.Failed, s_hasher.Verify("tamper target", tampered));
        Assert.AreEqual(CredentialCheck.Failed, s_hasher.Verify("tamper target", saltChanged));
    }

    [TestMethod]
    public void Verify_LegacySha256Hash_IsRefusedSayingToRotate()
    {
        var e = Assert.ThrowsExactly<CredentialHashException>(() => s_hasher.Verify("secret", "sha256:" + new string('a', 32) + ":" + new string('b', 64)));

        Assert.AreEqual(ErrorCodes.LegacyCredentialHashRefused, e.ErrorCode);
        Assert.Contains("Rotate the secret", e.Message);
    }

    [TestMethod]
    [DataRow("", DisplayName = "empty")]
    [DataRow("pbkdf2_sha256:100000:00112233445566778899aabbccddeeff", DisplayName = "two fields")]
    [DataRow("pbkdf2_sha256:100000:00112233445566778899aabbccddeeff:%HASH%:extra", DisplayName = "four fields")]
    [DataRow("PBKDF2_SHA256:100000:00112233445566778899aabbccddeeff:%HASH%", DisplayName = "prefix in upper case")]
    [DataRow("pbkdf2_sha1:100000:00112233445566778899aabbccddeeff:%HASH%", DisplayName = "another algorithm")]
    [DataRow("pbkdf2_sha256:0100000:00112233445566778899aabbccddeeff:%HASH%", DisplayName = "leading zero")]
    [DataRow("pbkdf2_sha256:+100000:00112233445566778899aabbccddeeff:%HASH%", DisplayName = "signed count")]
    [DataRow("pbkdf2_sha256:99999:00112233445566778899aabbccddeeff:%HASH%", DisplayName = "too few iterations")]
    [DataRow("pbkdf2_sha256:10000001:00112233445566778899aabbccddeeff:%HASH%", DisplayName = "too many iterations")]
    [DataRow("pbkdf2_sha256:100000:00112233445566778899AABBCCDDEEFF:%HASH%", DisplayName = "upper-case hex salt")]
    [DataRow("pbkdf2_sha256:100000:00112233445566778899aabbccddee:%HASH%", DisplayName = "15-byte salt")]
    [DataRow("pbkdf2_sha256:100000:00112233445566778899aabbccddeef:%HASH%", DisplayName = "odd-length salt")]
    [DataRow("pbkdf2_sha256:100000:00112233445566778899aabbccddeeff:%HASH%00", DisplayName = "33-byte hash")]
    [DataRow("pbkdf2_sha256:100000:00112233445566778899aabbccddeeff:%HASH% ", DisplayName = "trailing space")]
    public void Verify_MalformedHash_IsRefusedBeforeAnythingIsDerived(string stored)
    {
        var hash = stored.Replace("%HASH%", new string('c', 64), StringComparison.Ordinal);

        var e = Assert.ThrowsExactly<CredentialHashException>(() => s_hasher.Verify("secret", hash));

        Assert.AreEqual(ErrorCodes.CredentialHashMalformed, e.ErrorCode);
        Assert.DoesNotContain(new string('c', 64), e.Message, "the hash is not repeated");
    }

    [TestMethod]
    public void Hash_EmptyTooLongOrInvalidSecret_IsRefused_AndVerifyOfOneFails()
    {
        var hash = s_hasher.Hash("x");

        Assert.ThrowsExactly<ArgumentException>(() => s_hasher.Hash(""));
        Assert.ThrowsExactly<ArgumentException>(() => s_hasher.Hash(new string('x', 1025)));
        Assert.ThrowsExactly<ArgumentException>(() => s_hasher.Hash("lone \uD800 surrogate"));
        Assert.AreEqual(CredentialCheck.Failed, s_hasher.Verify("", hash), "what a caller presents fails, it does not throw");
        Assert.AreEqual(CredentialCheck.Failed, s_hasher.Verify(new string('x', 1025), hash));
        Assert.AreEqual(CredentialCheck.Failed, s_hasher.Verify("lone \uD800 surrogate", hash));
    }

    [TestMethod]
    public void Options_IterationsOutsideTheBounds_FailValidation()
    {
        var validator = new KeyInfraOptionsValidator();
        var low = new KeyInfraOptions();
        low.CredentialHashing.Iterations = 99_999;
        var high = new KeyInfraOptions();
        high.CredentialHashing.Iterations = 10_000_001;

        Assert.IsTrue(validator.Validate(null, low).Failed);
        Assert.Contains("KeyInfra:CredentialHashing:Iterations", validator.Validate(null, high).FailureMessage!);
        Assert.IsTrue(validator.Validate(null, new KeyInfraOptions()).Succeeded);
    }

    private static Pbkdf2CredentialHasher Hasher(int iterations)
    {
        var options = new KeyInfraOptions();
        options.CredentialHashing.Iterations = iterations;
        return new Pbkdf2CredentialHasher(Options.Create(options));
    }
}
