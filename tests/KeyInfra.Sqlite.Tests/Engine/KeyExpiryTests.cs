using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Verification;
using Microsoft.Extensions.DependencyInjection;

namespace KeyInfra.Sqlite.Tests.Engine;

[TestClass]
public sealed class KeyExpiryTests
{
    private static readonly byte[] Document = "expiry"u8.ToArray();

    [TestMethod]
    public async Task Verify_ExpiryPassesWhileKeyIsCached_KeyExpired()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await KeyInfraTestHost.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        try
        {
            var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "short-lived") { ExpiresAt = clock.GetUtcNow().AddHours(1) });
            var signature = await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document));
            var verifier = host.Get<IVerifier>();
            Assert.AreEqual(VerificationStatus.Valid, (await verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature.Signature))).Status);

            clock.Advance(TimeSpan.FromMinutes(61));

            Assert.AreEqual(VerificationStatus.KeyExpired, (await verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature.Signature))).Status);
            var ex = await Assert.ThrowsExactlyAsync<KeyInfra.Errors.KeyStateException>(() => host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document)));
            Assert.AreEqual(KeyInfra.Errors.ErrorCodes.KeyExpired, ex.ErrorCode);
            Assert.AreEqual(KeyStatus.Expired, (await host.Get<IKeyStore>().GetAsync(key.Id))!.EffectiveStatus(clock.GetUtcNow()));
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }
}
