using System.Diagnostics;
using KeyInfra.Keys;
using KeyInfra.PostgreSql.Notifications;
using KeyInfra.Signing;
using KeyInfra.Verification;

namespace KeyInfra.PostgreSql.Tests;

/// <summary>
/// Two hosts on one database stand for two instances of an application: changes on one reach the other's key
/// cache through LISTEN/NOTIFY, and the database coordinates concurrent ring versions.
/// </summary>
[TestClass]
public sealed class MultipleInstancesTests
{
    private static readonly byte[] s_document = "instance test document"u8.ToArray();
    private static readonly TimeSpan s_propagationDeadline = TimeSpan.FromSeconds(1);
    private static PostgreSqlTestDatabase s_database = null!;
    private static PostgreSqlTestHost s_a = null!;
    private static PostgreSqlTestHost s_b = null!;

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context)
    {
        s_database = await PostgreSqlTestDatabase.CreateAsync();
        var masterKey = PostgreSqlTestHost.NewMasterKey();

        // Keys stay cached for an hour: only a notification can make the other instance notice a change in time.
        // The log is off so a verified key can still be deleted.
        static void Options(KeyInfraOptions o)
        {
            o.KeyCache.TimeToLive = TimeSpan.FromHours(1);
            o.KeyCache.SigningKeyTimeToLive = TimeSpan.FromHours(1);
            o.VerificationLog.Mode = LogMode.Off;
        }

        s_a = await PostgreSqlTestHost.StartAsync(s_database.AppConnectionString, masterKey, Options);
        s_b = await PostgreSqlTestHost.StartAsync(s_database.AppConnectionString, masterKey, Options, storage: pg => pg.NotificationReconnectDelay = TimeSpan.FromMilliseconds(50));
        await s_a.Get<KeyChangeListener>().Listening.WaitAsync(TimeSpan.FromSeconds(30));
        await s_b.Get<KeyChangeListener>().Listening.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [ClassCleanup]
    public static async Task ClassCleanup()
    {
        await (s_a?.DisposeAsync() ?? ValueTask.CompletedTask);
        await (s_b?.DisposeAsync() ?? ValueTask.CompletedTask);
        await (s_database?.DisposeAsync() ?? ValueTask.CompletedTask);
    }

    [TestMethod]
    public async Task Revoke_OnOneInstance_TheOtherRefusesWithinASecond()
    {
        var (key, signature) = await CreateAndSignOnAAsync();
        Assert.AreEqual(VerificationStatus.Valid, await VerifyOnBAsync(key.Id, signature));

        await s_a.Get<IKeyStore>().RevokeAsync(key.Id, RevocationReason.KeyCompromise);

        await PollUntilAsync(key.Id, signature, VerificationStatus.KeyRevoked);
    }

    [TestMethod]
    public async Task Delete_OnOneInstance_TheOtherNoLongerFindsTheKey()
    {
        var (key, signature) = await CreateAndSignOnAAsync();
        Assert.AreEqual(VerificationStatus.Valid, await VerifyOnBAsync(key.Id, signature));

        Assert.IsTrue(await s_a.Get<IKeyStore>().DeleteAsync(key.Id));

        await PollUntilAsync(key.Id, signature, VerificationStatus.KeyNotFound);
    }

    [TestMethod]
    public async Task Expire_ByHandInTheDatabase_TheInstancesNoticeAndRefuseTheRow()
    {
        var (key, signature) = await CreateAndSignOnAAsync();
        Assert.AreEqual(VerificationStatus.Valid, await VerifyOnBAsync(key.Id, signature));

        // An UPDATE by hand (a DBA's superuser session: the owner sees no row without a tenant setting, since row-level
        // security is forced on it) fires the same trigger as KeyInfra's own changes: the instances drop the key and read
        // the row again, which, changed outside KeyInfra, no longer fits its MAC and is refused.
        await PostgreSqlTestDatabase.ExecuteAsync(s_database.AdminConnectionString, "UPDATE public_keys SET status = 'expired', expires_at = now() WHERE id = $1", key.Id.Value);

        await PollUntilAsync(key.Id, signature, VerificationStatus.KeyTampered);
    }

    [TestMethod]
    public async Task Revoke_AfterTheListenersConnectionWasKilled_StillReachesTheOtherInstance()
    {
        var (key, signature) = await CreateAndSignOnAAsync();
        Assert.AreEqual(VerificationStatus.Valid, await VerifyOnBAsync(key.Id, signature));

        var killed = await s_database.AdminScalarAsync<long>(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'");
        await WaitForListenersAsync(2);
        await s_a.Get<IKeyStore>().RevokeAsync(key.Id, RevocationReason.Superseded);

        Assert.AreEqual(2L, killed);
        await PollUntilAsync(key.Id, signature, VerificationStatus.KeyRevoked);
    }

    [TestMethod]
    public async Task CreateAndRotate_FromTwoInstancesAtOnce_EveryVersionExactlyOnce()
    {
        var ring = "shared-ring-" + Guid.NewGuid().ToString("N");
        var spec = KeySpec.Ed25519;

        var first = await Task.WhenAll(
            s_a.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(spec, "ring key") { RingName = ring }),
            s_b.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(spec, "ring key") { RingName = ring }));
        var rotated = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => (i % 2 == 0 ? s_a : s_b).Get<IKeyStore>().RotateAsync(ring)));

        var versions = first.Concat(rotated).Select(k => k.RingVersion!.Value).Order().ToArray();
        CollectionAssert.AreEqual(Enumerable.Range(1, 10).ToArray(), versions);
        Assert.AreEqual(10L, await s_database.AdminScalarAsync<long>("SELECT count(*) FROM public_keys WHERE ring_name = $1 AND status = 'active'", ring));
        Assert.AreEqual(10L, await s_database.AdminScalarAsync<long>("SELECT count(DISTINCT ring_version) FROM public_keys WHERE ring_name = $1", ring));
    }

    private static async Task<(KeyInfo Key, byte[] Signature)> CreateAndSignOnAAsync()
    {
        var key = await s_a.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "shared key"));
        var signature = await s_a.Get<ISigner>().SignAsync(new SignRequest(key.Id, s_document));
        return (key, signature.Signature);
    }

    private static async Task<VerificationStatus> VerifyOnBAsync(KeyId keyId, byte[] signature)
        => (await s_b.Get<IVerifier>().VerifyAsync(new VerificationRequest(keyId, s_document, signature))).Status;

    // Polls instance B until it gives the expected answer; fails at the deadline. No fixed sleeps.
    private static async Task PollUntilAsync(KeyId keyId, byte[] signature, VerificationStatus expected)
    {
        var clock = Stopwatch.StartNew();
        VerificationStatus status;
        while ((status = await VerifyOnBAsync(keyId, signature)) != expected)
        {
            if (clock.Elapsed > s_propagationDeadline)
            {
                Assert.Fail($"Instance B still answered {status} {clock.Elapsed.TotalMilliseconds:F0} ms after the change; expected {expected}.");
            }

            await Task.Yield();
        }
    }

    private static async Task WaitForListenersAsync(long count)
    {
        var clock = Stopwatch.StartNew();
        while (await s_database.AdminScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'") < count)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                Assert.Fail("The listeners did not reconnect within 30 seconds.");
            }

            await Task.Delay(20);
        }
    }
}
