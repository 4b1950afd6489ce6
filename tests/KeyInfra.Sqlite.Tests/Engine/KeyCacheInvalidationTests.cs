using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Verification;

namespace KeyInfra.Sqlite.Tests.Engine;

/// <summary>
/// A key deleted while both caches hold it is gone at once: verification and signing see it missing on the very
/// next call, well inside the caches' TTL. (Revoke and expire are covered in SignAndVerifyTests.) The log is Off,
/// since a key with verification records cannot be deleted.
/// </summary>
[TestClass]
public sealed class KeyCacheInvalidationTests
{
    private static readonly byte[] Document = "cache invalidation"u8.ToArray();

    [TestMethod]
    public async Task DeleteAsync_KeyInBothCaches_VerifyKeyNotFoundAndSignUnknownKeyAtOnce()
    {
        await using var host = await KeyInfraTestHost.StartAsync(options: o =>
        {
            o.VerificationLog.Mode = LogMode.Off;
            o.KeyCache.TimeToLive = TimeSpan.FromHours(1);
            o.KeyCache.SigningKeyTimeToLive = TimeSpan.FromHours(1);
        });
        try
        {
            var keys = host.Get<IKeyStore>();
            var signer = host.Get<ISigner>();
            var verifier = host.Get<IVerifier>();
            var key = await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "deleted while cached"));
            var signature = (await signer.SignAsync(new SignRequest(key.Id, Document))).Signature;
            var request = new VerificationRequest(key.Id, Document, signature);
            Assert.AreEqual(VerificationStatus.Valid, (await verifier.VerifyAsync(request)).Status);

            Assert.IsTrue(await keys.DeleteAsync(key.Id));
            var afterDelete = await verifier.VerifyAsync(request);
            var signError = await Assert.ThrowsExactlyAsync<UnknownKeyException>(() => signer.SignAsync(new SignRequest(key.Id, Document)));

            Assert.AreEqual(VerificationStatus.KeyNotFound, afterDelete.Status);
            Assert.AreEqual(ErrorCodes.KeyNotFound, signError.ErrorCode);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }
}
