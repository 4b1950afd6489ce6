using KeyInfra.Keys;
using KeyInfra.Pkcs11.Errors;
using KeyInfra.Signing;

namespace KeyInfra.Pkcs11.Tests;

/// <summary>A token deleted (softhsm2-util --delete-token) while its pool is open, the nearest SoftHSM2 comes to pulling a token out.</summary>
/// <remarks>
/// Not run beside other classes: deleting and making a token again while another class's module enumerates its slots
/// can hide every token from that enumeration for a moment (KI6004 for a token that is there), which CI hit.
/// </remarks>
[TestClass]
[DoNotParallelize]
public sealed class TokenRemovalTests
{
    [TestMethod]
    public async Task SignAsync_TokenDeletedWhilePoolIsOpen_TokenUnavailable()
    {
        // A run that failed half-way left the token deleted: make it again.
        if (!SoftHsm.Run(SoftHsm.SoftHsmUtil, "--show-slots").Contains($"Label:            {SoftHsm.RemovableToken}", StringComparison.Ordinal))
        {
            InitRemovableToken();
        }

        await using var host = await Pkcs11TestHost.StartAsync();
        await host.AddSlotAsync("removable", SoftHsm.RemovableToken, SoftHsm.RemovablePin);
        var key = await host.CreateHsmKeyAsync(KeySpec.EcdsaP256, "removable");
        await host.Signer.SignAsync(new SignRequest(key.Id, "before"u8.ToArray()));

        SoftHsm.Run(SoftHsm.SoftHsmUtil, "--delete-token", "--token", SoftHsm.RemovableToken);

        var error = await Assert.ThrowsExactlyAsync<HsmException>(() => host.Signer.SignAsync(new SignRequest(key.Id, "after"u8.ToArray())));
        Assert.AreEqual(Pkcs11ErrorCodes.TokenUnavailable, error.ErrorCode, error.Message);
        Assert.IsTrue(host.Logs.Entries.Any(e => e.EventId.Id == 4001), "The pool did not try to renew its sessions.");

        // Every later operation keeps looking for the token (renewing, never signing with anything else) and says it is gone.
        var again = await Assert.ThrowsExactlyAsync<HsmException>(() => host.Signer.SignAsync(new SignRequest(key.Id, "again"u8.ToArray())));
        Assert.AreEqual(Pkcs11ErrorCodes.TokenUnavailable, again.ErrorCode, again.Message);
        var test = await Assert.ThrowsExactlyAsync<HsmException>(() => host.Hsm.TestSlotAsync("removable"));
        Assert.AreEqual(Pkcs11ErrorCodes.TokenUnavailable, test.ErrorCode, test.Message);

        // SoftHSM2 does not show a module already initialised in this process a token another process creates later, so a
        // token coming back cannot be shown here; it is made again for the next run of the tests (a new process).
        InitRemovableToken();
    }

    private static void InitRemovableToken()
        => SoftHsm.Run(SoftHsm.SoftHsmUtil, "--init-token", "--free", "--label", SoftHsm.RemovableToken, "--so-pin", SoftHsm.SoPin, "--pin", SoftHsm.RemovablePin);
}
