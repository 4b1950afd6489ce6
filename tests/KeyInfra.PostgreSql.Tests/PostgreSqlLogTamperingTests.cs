using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Tests.Conformance;
using KeyInfra.Verification;
using KeyInfra.Verification.Chain;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace KeyInfra.PostgreSql.Tests;

/// <summary>
/// The verification log's chain against a database writer, on PostgreSQL (the attacker is the admin role), with the
/// small-group array writer; and retention, which only PostgreSQL has.
/// </summary>
[TestClass]
public sealed class PostgreSqlLogTamperingTests : LogTamperingConformanceTests
{
    private static PostgreSqlConformanceStorage? s_storage;

    protected override ConformanceStorage Storage => s_storage!;

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context) => s_storage = await PostgreSqlConformanceStorage.CreateAsync();

    [ClassCleanup]
    public static async Task ClassCleanup() => await (s_storage?.DisposeAsync() ?? ValueTask.CompletedTask);

    // These count the groups of one chain: the audit logs, which would add their own, are off, and each group is sealed
    // on its own.
    private static void NoAudit(KeyInfraOptions options)
    {
        options.Audit.ControlPlane = Verification.LogMode.Off;
        options.Audit.DataPlane = Verification.LogMode.Off;
        options.VerificationLog.SealInterval = TimeSpan.Zero;
    }

    [TestMethod]
    public async Task VerifyAsync_RetentionDroppedTheOldestMonths_VerifiesCleanFromTheCheckpoint()
    {
        await using var storage = await PostgreSqlConformanceStorage.CreateAsync();
        var now = DateTimeOffset.UtcNow;
        var old = new DateTimeOffset(now.Year, now.Month, 15, 12, 0, 0, TimeSpan.Zero).AddMonths(-30);
        await PostgreSqlTestDatabase.ExecuteAsync(storage.Database.OwnerConnectionString, "SELECT keyinfra_create_verification_partitions($1, 1)", old);
        var clock = new ShiftedTimeProvider(old - now);
        var masterKey = TestHost.NewMasterKey();
        await using (var host = await TestHost.StartAsync(storage, masterKey, NoAudit, services: s => s.AddSingleton<TimeProvider>(clock)))
        {
            // One chain: two groups 30 months ago, then (the clock catching up) two now.
            var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "retention"));
            var signature = (await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, "data"u8.ToArray()))).Signature;
            var verifier = host.Get<IVerifier>();
            await verifier.VerifyAsync(new VerificationRequest(key.Id, "data"u8.ToArray(), signature));
            await verifier.VerifyAsync(new VerificationRequest(key.Id, "data"u8.ToArray(), signature));
            clock.Offset = TimeSpan.Zero;
            await verifier.VerifyAsync(new VerificationRequest(key.Id, "data"u8.ToArray(), signature));
            await verifier.VerifyAsync(new VerificationRequest(key.Id, "data"u8.ToArray(), signature));
            Assert.AreEqual(4L, host.Get<IVerificationLogAuditor>().GetChainHeads().Single().Sequence);
        }

        var cutoff = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(-24);
        await PostgreSqlTestDatabase.ExecuteAsync(storage.Database.OwnerConnectionString, "SELECT * FROM keyinfra_drop_verification_partitions($1)", cutoff);
        await using var auditor = await TestHost.StartAsync(storage, masterKey, NoAudit);
        var report = await auditor.Get<IVerificationLogAuditor>().VerifyAsync(new LogAuditRequest());

        Assert.IsTrue(report.IsClean, $"breaks [{string.Join(", ", report.BrokenLinks)}], deleted [{string.Join(", ", report.Deleted)}], inserted [{string.Join(", ", report.Inserted)}]");
        Assert.AreEqual(2L, report.GroupCount);
        Assert.AreEqual(2L, report.Checkpoints.Single().Digest.Sequence);
        Assert.AreEqual(0L, await storage.ScalarAsync<long>("SELECT count(*) FROM verification_log_digests WHERE committed_at < $1", cutoff));
    }

    [TestMethod]
    public async Task VerifyAsync_RewrapThenRetentionThenRetire_TheCheckpointKeepsItsRewrapAndVerifiesWithoutTheOldKey()
    {
        await using var storage = await PostgreSqlConformanceStorage.CreateAsync();
        var now = DateTimeOffset.UtcNow;
        var old = new DateTimeOffset(now.Year, now.Month, 15, 12, 0, 0, TimeSpan.Zero).AddMonths(-30);
        await PostgreSqlTestDatabase.ExecuteAsync(storage.Database.OwnerConnectionString, "SELECT keyinfra_create_verification_partitions($1, 1)", old);
        var clock = new ShiftedTimeProvider(old - now);
        var (oldKey, newKey) = (TestHost.NewMasterKey(), TestHost.NewMasterKey());
        await using (var host = await TestHost.StartAsync(storage, oldKey, NoAudit, services: s => s.AddSingleton<TimeProvider>(clock)))
        {
            var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "rotated retention"));
            var signature = (await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, "data"u8.ToArray()))).Signature;
            await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, "data"u8.ToArray(), signature));
            await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, "data"u8.ToArray(), signature));
            clock.Offset = TimeSpan.Zero;
            await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, "data"u8.ToArray(), signature));
        }

        string oldId;
        await using (var rotated = await TestHost.StartAsync(storage, newKey, NoAudit, masterKeyOptions: o => o.PreviousMasterKeys = oldKey))
        {
            var rotation = rotated.Get<Encryption.Rotation.IMasterKeyRotation>();
            oldId = (await rotation.GetStatusAsync()).Keys.Single(k => !k.IsCurrent).Id;
            Assert.IsTrue((await rotation.RewrapAsync()).Complete);
            var cutoff = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(-24);
            await PostgreSqlTestDatabase.ExecuteAsync(storage.Database.OwnerConnectionString, "SELECT * FROM keyinfra_drop_verification_partitions($1)", cutoff);
            Assert.IsNotNull(await storage.ScalarAsync<string?>("SELECT rewrap_master_key_id FROM verification_log_checkpoints"), "retention copied the re-wrap into the checkpoint");
            await rotation.RetireAsync(oldId);
        }

        await using var auditor = await TestHost.StartAsync(storage, newKey, NoAudit);
        var report = await auditor.Get<IVerificationLogAuditor>().VerifyAsync(new LogAuditRequest());

        Assert.IsTrue(report.IsClean, $"breaks [{string.Join(", ", report.BrokenLinks)}]");
        Assert.AreEqual(oldId, report.Checkpoints.Single().Digest.MasterKeyId, "made with the old key, checked through its re-wrap");
        Assert.AreEqual(1L, report.GroupCount);
    }

    [TestMethod]
    [DataRow(-1)]
    [DataRow(-12)]
    [DataRow(-23)]
    public async Task DropFunction_NewerThanTheRetentionFloor_IsRefusedEvenToTheOwner(int months)
    {
        var now = DateTimeOffset.UtcNow;
        var cutoff = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(months);

        var error = await Assert.ThrowsExactlyAsync<PostgresException>(
            () => PostgreSqlTestDatabase.ExecuteAsync(s_storage!.Database.OwnerConnectionString, "SELECT * FROM keyinfra_drop_verification_partitions($1)", cutoff));

        Assert.AreEqual("22023", error.SqlState);
    }

    [TestMethod]
    public async Task NewPartition_ApplicationRole_MayOnlyInsertAndSelect()
    {
        var month = DateTimeOffset.UtcNow.AddMonths(5);
        await PostgreSqlTestDatabase.ExecuteAsync(s_storage!.Database.OwnerConnectionString, "SELECT keyinfra_create_verification_partitions($1, 1)", month);
        var partition = $"verification_records_p{month:yyyy_MM}";

        var privileges = await s_storage.ScalarAsync<string>(
            "SELECT string_agg(privilege_type, ',' ORDER BY privilege_type) FROM information_schema.role_table_grants WHERE grantee = 'keyinfra_app' AND table_name = $1", partition);

        Assert.AreEqual("INSERT,SELECT", privileges);
    }

    /// <summary>The system clock moved by an offset the test sets.</summary>
    private sealed class ShiftedTimeProvider(TimeSpan offset) : TimeProvider
    {
        public TimeSpan Offset { get; set; } = offset;

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
    }
}
