using System.Security.Cryptography;
using KeyInfra.Audit;
using KeyInfra.Authorization;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Verification;

namespace KeyInfra.Tests.Conformance;

/// <summary>
/// Disabled curves on every provider: a disabled curve refuses new keys, imports, rotations and signatures (KI1108), its
/// keys verify as <see cref="VerificationStatus.CurveDisabled"/>, and a database writer without the master key cannot
/// enable it again (a row that fails its MAC, or is missing, disables its curve); configuration's list holds whatever the
/// database says.
/// </summary>
/// <remarks>Curves are the database's, not a tenant's: each test uses a curve of its own and leaves it enabled.</remarks>
public abstract class CurveConformanceTests
{
    private static readonly byte[] Document = "which curves"u8.ToArray();
    private static readonly string s_masterKey = TestHost.NewMasterKey();

    /// <summary>The provider's database, shared by the tests of the class.</summary>
    protected abstract ConformanceStorage Storage { get; }

    [TestMethod]
    public async Task Disabled_RefusesNewKeysImportsRotationsAndSignatures_AndVerifiesAsCurveDisabled()
    {
        await using var host = await AccessControlHosts.StartAsync(Storage, s_masterKey);
        using var scope = AccessControlHosts.Callers(host).Use(Caller.ForSystem("curve-admin"));
        var store = host.Get<IKeyStore>();
        var existing = await store.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP384, "before") { RingName = AccessControlHosts.Unique("p384-ring") });
        var signature = (await host.Get<ISigner>().SignAsync(new SignRequest(existing.Id, Document))).Signature;
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var curves = host.Get<ICurveStore>();
        try
        {
            var disabled = await curves.SetStatusAsync(KeyCurve.P384, CurveStatus.Disabled);

            var create = await Assert.ThrowsAsync<KeyInfraException>(() => store.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP384, "after")));
            var import = await Assert.ThrowsAsync<KeyInfraException>(() => store.ImportAsync(new ImportKeyRequest("imported", other.ExportSubjectPublicKeyInfo(), KeyFormat.Der)));
            var rotate = await Assert.ThrowsAsync<KeyInfraException>(() => store.RotateAsync(existing.RingName!));
            var sign = await Assert.ThrowsAsync<KeyInfraException>(() => host.Get<ISigner>().SignAsync(new SignRequest(existing.Id, Document)));
            var verified = await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(existing.Id, Document, signature));
            var batch = await host.Get<IVerifier>().VerifyBatchAsync([new VerificationRequest(existing.Id, Document, signature)]);
            var ed25519 = await store.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "unaffected"));

            Assert.AreEqual(CurveStatus.Disabled, disabled.Status);
            Assert.AreEqual("database", disabled.DisabledBy);
            foreach (var e in new[] { create, import, rotate, sign })
            {
                Assert.AreEqual(ErrorCodes.CurveDisabled, e.ErrorCode);
            }

            Assert.AreEqual(VerificationStatus.CurveDisabled, verified.Status);
            Assert.AreEqual(VerificationStatus.CurveDisabled, batch.Results.Single().Status);
            Assert.AreEqual(KeyCurve.Ed25519, ed25519.Spec.Curve);
            await host.Get<IAuditTrail>().FlushAsync();
            var changes = await host.Get<IAuditTrail>().QueryControlPlaneAsync(new AuditQuery { TargetType = "curve", TargetId = "p-384" });
            Assert.AreEqual(AuditActions.CurveDisable, changes.Records[0].Action);
        }
        finally
        {
            await curves.SetStatusAsync(KeyCurve.P384, CurveStatus.Enabled);
        }

        var enabled = (await curves.ListAsync()).Single(c => c.Curve == KeyCurve.P384);
        Assert.AreEqual(CurveStatus.Enabled, enabled.Status);
        Assert.AreEqual(VerificationStatus.Valid, (await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(existing.Id, Document, signature))).Status);
    }

    [TestMethod]
    public async Task WriterWithoutTheMasterKey_CannotEnableACurveAgain()
    {
        await using (var host = await TestHost.StartAsync(Storage, s_masterKey))
        {
            await host.Get<ICurveStore>().SetStatusAsync(KeyCurve.Secp256k1, CurveStatus.Disabled);
        }

        try
        {
            // The status flipped back in place, and with the version raised as KeyInfra would: the MAC holds neither.
            Assert.AreEqual(1, await Storage.TamperAsync("UPDATE curves SET status = 'enabled' WHERE id = $1", (short)KeyCurve.Secp256k1));
            var flipped = await ReadAsync(KeyCurve.Secp256k1);
            Assert.AreEqual(1, await Storage.TamperAsync("UPDATE curves SET version = version + 1 WHERE id = $1", (short)KeyCurve.Secp256k1));
            var bumped = await ReadAsync(KeyCurve.Secp256k1);

            Assert.AreEqual(CurveStatus.Disabled, flipped.Status);
            Assert.AreEqual(CurveStatus.Enabled, flipped.StoredStatus);
            StringAssert.Contains(flipped.DisabledBy, "failed authentication");
            Assert.AreEqual(CurveStatus.Disabled, bumped.Status);
        }
        finally
        {
            await using var host = await TestHost.StartAsync(Storage, s_masterKey);
            Assert.AreEqual(CurveStatus.Enabled, (await host.Get<ICurveStore>().SetStatusAsync(KeyCurve.Secp256k1, CurveStatus.Enabled)).Status, "an operator's new status replaces a row that failed its MAC");
        }
    }

    [TestMethod]
    public async Task ConfigurationList_HoldsWhateverTheDatabaseSays()
    {
        // The one rollback the database cannot tell: the row put back as the migration made it (enabled, version 0).
        await using (var host = await TestHost.StartAsync(Storage, s_masterKey))
        {
            await host.Get<ICurveStore>().SetStatusAsync(KeyCurve.P521, CurveStatus.Disabled);
        }

        Assert.AreEqual(1, await Storage.TamperAsync("UPDATE curves SET status = 'enabled', version = 0, row_mac = NULL, row_mac_master_key_id = NULL WHERE id = $1", (short)KeyCurve.P521));
        Assert.AreEqual(CurveStatus.Enabled, (await ReadAsync(KeyCurve.P521)).Status, "documented: a row restored as shipped is enabled");

        await using var configured = await TestHost.StartAsync(Storage, s_masterKey, o => o.Curves.Disabled.Add("P-521"));
        var info = (await configured.Get<ICurveStore>().ListAsync()).Single(c => c.Curve == KeyCurve.P521);
        var create = await Assert.ThrowsAsync<KeyInfraException>(() => configured.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP521, "configured off")));
        var enabledInDatabase = await configured.Get<ICurveStore>().SetStatusAsync(KeyCurve.P521, CurveStatus.Enabled);

        Assert.AreEqual(CurveStatus.Disabled, info.Status);
        Assert.AreEqual("configuration", info.DisabledBy);
        Assert.AreEqual(ErrorCodes.CurveDisabled, create.ErrorCode);
        Assert.AreEqual(CurveStatus.Disabled, enabledInDatabase.Status, "configuration wins over the database");
        Assert.AreEqual(CurveStatus.Enabled, enabledInDatabase.StoredStatus);
        var unknown = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => TestHost.StartAsync(Storage, s_masterKey, o => o.Curves.Disabled.Add("p-999")));
        StringAssert.Contains(unknown.Message, "KeyInfra:Curves:Disabled");
    }

    [TestMethod]
    public async Task ManagingCurves_NeedsManageCurves()
    {
        await using var host = await AccessControlHosts.StartAsync(Storage, s_masterKey);
        var user = await AccessControlHosts.NewUserAsync(host, "no-curves");
        using var scope = AccessControlHosts.Callers(host).Use(user);

        var list = await Assert.ThrowsAsync<AccessDeniedException>(() => host.Get<ICurveStore>().ListAsync());
        var set = await Assert.ThrowsAsync<AccessDeniedException>(() => host.Get<ICurveStore>().SetStatusAsync(KeyCurve.Ed25519, CurveStatus.Disabled));

        Assert.AreEqual(KeyInfraOperation.ManageCurves, list.Operation);
        Assert.AreEqual(ErrorCodes.AccessDenied, set.ErrorCode);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => AccessControlHosts.AsSystem(host, () => host.Get<ICurveStore>().SetStatusAsync(KeyCurve.None, CurveStatus.Disabled)));
    }

    // A fresh host reads the rows again (a running one caches them for CacheSeconds).
    private async Task<CurveInfo> ReadAsync(KeyCurve curve)
    {
        await using var host = await TestHost.StartAsync(Storage, s_masterKey);
        return (await host.Get<ICurveStore>().ListAsync()).Single(c => c.Curve == curve);
    }
}
