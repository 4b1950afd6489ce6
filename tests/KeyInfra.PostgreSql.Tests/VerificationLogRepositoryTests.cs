using KeyInfra.Keys;
using KeyInfra.PostgreSql.Storage;
using KeyInfra.Storage;
using KeyInfra.Tests.Conformance;
using KeyInfra.Verification;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace KeyInfra.PostgreSql.Tests;

[TestClass]
public sealed class VerificationLogRepositoryTests
{
    private static PostgreSqlTestDatabase s_database = null!;
    private static ServiceProvider s_services = null!;
    private static ServiceProvider s_copyServices = null!;

    // The default writer: groups below the COPY threshold go as array INSERTs.
    private static IVerificationLogRepository Log => s_services.GetRequiredService<IVerificationLogRepository>();

    private static IKeyRepository Keys => s_services.GetRequiredService<IKeyRepository>();

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context)
    {
        s_database = await PostgreSqlTestDatabase.CreateAsync();
        s_services = s_database.BuildServices(configure: pg => pg.LogCopyThreshold = int.MaxValue);
        s_copyServices = s_database.BuildServices(configure: pg => pg.LogCopyThreshold = 0);
    }

    // Every group through binary COPY (copy: true) or through array INSERTs (copy: false).
    private static IVerificationLogRepository Writer(bool copy) => (copy ? s_copyServices : s_services).GetRequiredService<IVerificationLogRepository>();

    [ClassCleanup]
    public static async Task ClassCleanup()
    {
        await (s_services?.DisposeAsync() ?? ValueTask.CompletedTask);
        await (s_copyServices?.DisposeAsync() ?? ValueTask.CompletedTask);
        await (s_database?.DisposeAsync() ?? ValueTask.CompletedTask);
    }

    [TestMethod]
    public void Registration_PostgreSql_ReplacesTheEfLogWriterWithCopy()
    {
        Assert.IsInstanceOfType<PostgreSqlVerificationLogRepository>(Log);
        Assert.IsInstanceOfType<PostgreSqlKeyRepository>(Keys);
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public async Task AppendAsync_RecordsAndBatch_CommitsEveryRowWithItsValues(bool copy)
    {
        var tenantId = Guid.NewGuid();
        var key = TestData.Key(tenantId);
        await Keys.AddAsync(key);
        var records = new[]
        {
            TestData.Record(tenantId, key.Id) with { CallerId = "app:orders" },
            TestData.Record(tenantId, key.Id, status: VerificationStatus.InvalidSignature, caller: null) with { Detail = "PSS expected" },
            TestData.Record(tenantId, KeyId.New(), keyExists: false, status: VerificationStatus.KeyNotFound),
        };
        var batch = new BatchVerificationRecord
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenantId,
            Caller = "batch-caller",
            CallerId = "user:7",
            StartedAt = DateTimeOffset.UtcNow,
            CompletedAt = DateTimeOffset.UtcNow,
            Items = [TestData.Record(tenantId, key.Id), TestData.Record(tenantId, key.Id, status: VerificationStatus.MalformedSignature) with { Detail = "71 bytes" }],
        };

        await Writer(copy).AppendAsync(records, [batch]);

        var stored = await Log.QueryAsync(tenantId, new VerificationLogQuery { PageSize = 10 });
        Assert.HasCount(3, stored);
        foreach (var record in records)
        {
            var match = stored.Single(r => r.Id == record.Id);
            Assert.AreEqual(record.Status, match.Status);
            Assert.AreEqual(record.KeyExists, match.KeyExists);
            Assert.AreEqual(record.RequestedKeyId, match.RequestedKeyId);
            Assert.AreEqual(record.Algorithm, match.Algorithm);
            Assert.AreEqual(record.Caller, match.Caller);
            Assert.AreEqual(record.CallerId, match.CallerId);
            Assert.AreEqual(record.Detail, match.Detail);
            Assert.AreEqual(record.VerifiedAt.UtcTicks / 10, match.VerifiedAt.UtcTicks / 10);
            CollectionAssert.AreEqual(record.DocumentSha256, match.DocumentSha256);
            CollectionAssert.AreEqual(record.SignatureSha256, match.SignatureSha256);
        }

        var storedBatch = await Log.GetBatchAsync(tenantId, batch.Id);
        Assert.IsNotNull(storedBatch);
        Assert.AreEqual("batch-caller", storedBatch.Caller);
        Assert.AreEqual("user:7", storedBatch.CallerId);
        Assert.IsNull(storedBatch.Items[0].Detail);
        Assert.AreEqual("71 bytes", storedBatch.Items[1].Detail);
        CollectionAssert.AreEqual(batch.Items.Select(i => i.Id).ToArray(), storedBatch.Items.Select(i => i.Id).ToArray());
        Assert.AreEqual(VerificationStatus.MalformedSignature, storedBatch.Items[1].Status);
        Assert.AreEqual(1, await s_database.AdminScalarAsync<int>("SELECT valid_count FROM batch_verifications WHERE id = $1", batch.Id));
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public async Task AppendAsync_SeveralTenantsInOneCall_EachRowKeepsItsTenant(bool copy)
    {
        var tenantA = Guid.NewGuid();
        var tenantB = Guid.NewGuid();
        var keyA = TestData.Key(tenantA);
        var keyB = TestData.Key(tenantB);
        await Keys.AddAsync(keyA);
        await Keys.AddAsync(keyB);

        await Writer(copy).AppendAsync([TestData.Record(tenantA, keyA.Id), TestData.Record(tenantB, keyB.Id), TestData.Record(tenantB, keyB.Id)], []);

        Assert.HasCount(1, await Log.QueryAsync(tenantA, new VerificationLogQuery { PageSize = 10 }));
        Assert.HasCount(2, await Log.QueryAsync(tenantB, new VerificationLogQuery { PageSize = 10 }));
        Assert.AreEqual(2L, await s_database.AdminScalarAsync<long>("SELECT count(*) FROM verification_records WHERE tenant_id = $1", tenantB));
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public async Task AppendAsync_MonthWithoutPartition_CreatesThePartitionFirst(bool copy)
    {
        var tenantId = Guid.NewGuid();
        var key = TestData.Key(tenantId);
        await Keys.AddAsync(key);
        // The migration made this month's partition and the next ones; the application may add the two before.
        var now = DateTime.UtcNow;
        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(copy ? -2 : -1);
        var record = TestData.Record(tenantId, key.Id, verifiedAt: monthStart.AddMonths(1).AddSeconds(-1));

        await Writer(copy).AppendAsync([record], []);

        Assert.AreEqual(1L, await s_database.AdminScalarAsync<long>($"SELECT count(*) FROM verification_records_p{monthStart:yyyy_MM} WHERE id = $1", record.Id));
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public async Task AppendAsync_RecordOfAMissingKey_RollsBackTheWholeCall(bool copy)
    {
        var tenantId = Guid.NewGuid();
        var key = TestData.Key(tenantId);
        await Keys.AddAsync(key);
        var good = TestData.Record(tenantId, key.Id);
        var orphan = TestData.Record(tenantId, KeyId.New(), keyExists: true);

        var error = await Assert.ThrowsExactlyAsync<PostgresException>(() => Writer(copy).AppendAsync([good, orphan], []));

        Assert.AreEqual(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
        Assert.AreEqual(0L, await s_database.AdminScalarAsync<long>("SELECT count(*) FROM verification_records WHERE tenant_id = $1", tenantId));

        // The writer's connection is still usable.
        await Writer(copy).AppendAsync([good], []);
        Assert.AreEqual(1L, await s_database.AdminScalarAsync<long>("SELECT count(*) FROM verification_records WHERE tenant_id = $1", tenantId));
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public async Task AppendAsync_ConcurrentCallers_AllRowsCommitted(bool copy)
    {
        var tenantId = Guid.NewGuid();
        var key = TestData.Key(tenantId);
        await Keys.AddAsync(key);

        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Writer(copy).AppendAsync(Enumerable.Range(0, 25).Select(_ => TestData.Record(tenantId, key.Id)).ToArray(), [])));

        Assert.AreEqual(400L, await s_database.AdminScalarAsync<long>("SELECT count(*) FROM verification_records WHERE tenant_id = $1", tenantId));
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public async Task AppendAsync_BatchesOfSeveralTenantsWithNullFields_EachRowKeepsItsTenantAndValues(bool copy)
    {
        var tenantA = Guid.NewGuid();
        var tenantB = Guid.NewGuid();
        var keyA = TestData.Key(tenantA);
        var keyB = TestData.Key(tenantB);
        await Keys.AddAsync(keyA);
        await Keys.AddAsync(keyB);
        var batchA = Batch(tenantA, "caller-a", TestData.Record(tenantA, keyA.Id), TestData.Record(tenantA, KeyId.New(), keyExists: false, status: VerificationStatus.KeyNotFound, caller: null));
        var batchB = Batch(tenantB, null, TestData.Record(tenantB, keyB.Id, status: VerificationStatus.InvalidSignature));
        var emptyBatch = Batch(tenantB, "empty");
        var orphanRecord = TestData.Record(tenantA, KeyId.New(), keyExists: false, status: VerificationStatus.KeyNotFound, caller: null);

        await Writer(copy).AppendAsync([orphanRecord, TestData.Record(tenantB, keyB.Id)], [batchA, batchB, emptyBatch]);

        var storedA = await Log.GetBatchAsync(tenantA, batchA.Id);
        Assert.IsNotNull(storedA);
        Assert.HasCount(2, storedA.Items);
        Assert.IsFalse(storedA.Items[1].KeyExists);
        Assert.IsNull(storedA.Items[1].Algorithm);
        Assert.AreEqual(VerificationStatus.KeyNotFound, storedA.Items[1].Status);
        var storedB = await Log.GetBatchAsync(tenantB, batchB.Id);
        Assert.IsNotNull(storedB);
        Assert.IsNull(storedB.Caller);
        Assert.AreEqual(VerificationStatus.InvalidSignature, storedB.Items.Single().Status);
        Assert.IsEmpty((await Log.GetBatchAsync(tenantB, emptyBatch.Id))!.Items);
        Assert.IsNull(await Log.GetBatchAsync(tenantA, batchB.Id), "A tenant does not see another's batch.");
        var record = (await Log.QueryAsync(tenantA, new VerificationLogQuery { PageSize = 10 })).Single();
        Assert.AreEqual(orphanRecord.Id, record.Id);
        Assert.IsNull(record.Caller);
        Assert.IsNull(record.Algorithm);
        Assert.IsFalse(record.KeyExists);
        Assert.AreEqual(1L, await s_database.AdminScalarAsync<long>("SELECT count(*) FROM verification_records WHERE tenant_id = $1", tenantB));
        Assert.AreEqual(1L, await s_database.AdminScalarAsync<long>("SELECT count(*) FROM verification_records WHERE tenant_id = $1 AND key_id IS NULL AND algorithm IS NULL AND caller IS NULL", tenantA));
        Assert.AreEqual(2L, await s_database.AdminScalarAsync<long>("SELECT count(*) FROM batch_verifications WHERE tenant_id = $1", tenantB));
        Assert.AreEqual(1, await s_database.AdminScalarAsync<int>("SELECT valid_count FROM batch_verifications WHERE id = $1", batchA.Id));
        Assert.AreEqual(2, await s_database.AdminScalarAsync<int>("SELECT total_count FROM batch_verifications WHERE id = $1", batchA.Id));
        Assert.AreEqual(1, await s_database.AdminScalarAsync<int>("SELECT item_index FROM batch_verification_items WHERE id = $1", batchA.Items[1].Id));
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public async Task AppendAsync_RowRefusedByARowLevelSecurityPolicy_WritesNothingAndTheWriterGoesOn(bool copy)
    {
        var tenantId = Guid.NewGuid();
        var key = TestData.Key(tenantId);
        await Keys.AddAsync(key);
        var marker = "rls-denied-" + (copy ? "copy" : "arrays");
        var policy = "deny_" + (copy ? "copy" : "arrays");

        // A restrictive policy refuses one caller's rows: the writer's inserts must pass every policy, like any
        // other statement of the application role.
        await s_database.AdminExecuteAsync($"CREATE POLICY {policy} ON verification_records AS RESTRICTIVE FOR INSERT TO keyinfra_app WITH CHECK (caller IS DISTINCT FROM '{marker}')");
        try
        {
            var good = TestData.Record(tenantId, key.Id);
            var refused = TestData.Record(tenantId, key.Id, caller: marker);
            var batch = Batch(tenantId, "batch", TestData.Record(tenantId, key.Id));

            var error = await Assert.ThrowsExactlyAsync<PostgresException>(() => Writer(copy).AppendAsync([good, refused], [batch]));

            Assert.AreEqual(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
            Assert.AreEqual(0L, await s_database.AdminScalarAsync<long>("SELECT count(*) FROM verification_records WHERE tenant_id = $1", tenantId));
            Assert.AreEqual(0L, await s_database.AdminScalarAsync<long>("SELECT count(*) FROM batch_verifications WHERE tenant_id = $1", tenantId));

            await Writer(copy).AppendAsync([good], [batch]);
            Assert.AreEqual(1L, await s_database.AdminScalarAsync<long>("SELECT count(*) FROM verification_records WHERE tenant_id = $1", tenantId));
            Assert.AreEqual(1L, await s_database.AdminScalarAsync<long>("SELECT count(*) FROM batch_verification_items WHERE batch_id = $1", batch.Id));
        }
        finally
        {
            await s_database.AdminExecuteAsync($"DROP POLICY {policy} ON verification_records");
        }
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public async Task AppendAsync_WriterConnectionKilledWhileIdle_WritesTheGroupOnceOnANewConnection(bool copy)
    {
        var tenantId = Guid.NewGuid();
        var key = TestData.Key(tenantId);
        await Keys.AddAsync(key);
        await Writer(copy).AppendAsync([TestData.Record(tenantId, key.Id)], []);

        await s_database.AdminExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'keyinfra_app' AND datname = current_database()");
        await Writer(copy).AppendAsync([TestData.Record(tenantId, key.Id), TestData.Record(tenantId, key.Id)], [Batch(tenantId, "after", TestData.Record(tenantId, key.Id))]);

        Assert.AreEqual(3L, await s_database.AdminScalarAsync<long>("SELECT count(*) FROM verification_records WHERE tenant_id = $1", tenantId));
        Assert.AreEqual(1L, await s_database.AdminScalarAsync<long>("SELECT count(*) FROM batch_verifications WHERE tenant_id = $1", tenantId));
    }

    [TestMethod]
    public async Task AppendAsync_FirstCopyGroupOfAFreshWriterRefused_NextCopyGroupCommits()
    {
        await using var services = s_database.BuildServices(configure: pg => pg.LogCopyThreshold = 0);
        var writer = services.GetRequiredService<IVerificationLogRepository>();
        var tenantId = Guid.NewGuid();
        var key = TestData.Key(tenantId);
        await Keys.AddAsync(key);
        var orphan = TestData.Record(tenantId, KeyId.New(), keyExists: true);

        var error = await Assert.ThrowsExactlyAsync<PostgresException>(() => writer.AppendAsync([orphan], []));
        await writer.AppendAsync([TestData.Record(tenantId, key.Id)], []);

        Assert.AreEqual(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
        Assert.AreEqual(1L, await s_database.AdminScalarAsync<long>("SELECT count(*) FROM verification_records WHERE tenant_id = $1", tenantId));
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public async Task AppendAsync_SameRowsTwice_StoresThemOnce(bool copy)
    {
        var tenantId = Guid.NewGuid();
        var key = TestData.Key(tenantId);
        await Keys.AddAsync(key);
        var records = new[] { TestData.Record(tenantId, key.Id), TestData.Record(tenantId, key.Id) };
        var batch = Batch(tenantId, "caller", TestData.Record(tenantId, key.Id), TestData.Record(tenantId, key.Id));

        await Writer(copy).AppendAsync(records, [batch]);
        await Writer(copy).AppendAsync(records, [batch]);
        await Writer(!copy).AppendAsync([records[0]], [batch]);

        Assert.AreEqual(2L, await s_database.AdminScalarAsync<long>("SELECT count(*) FROM verification_records WHERE tenant_id = $1", tenantId));
        Assert.AreEqual(1L, await s_database.AdminScalarAsync<long>("SELECT count(*) FROM batch_verifications WHERE tenant_id = $1", tenantId));
        Assert.AreEqual(2L, await s_database.AdminScalarAsync<long>("SELECT count(*) FROM batch_verification_items WHERE batch_id = $1", batch.Id));
    }

    [TestMethod]
    public async Task Dispose_SynchronousContainerAfterAnAppend_ClosesTheWriter()
    {
        var services = s_database.BuildServices();
        var tenantId = Guid.NewGuid();
        var key = TestData.Key(tenantId);
        await services.GetRequiredService<IKeyRepository>().AddAsync(key);
        await services.GetRequiredService<IVerificationLogRepository>().AppendAsync([TestData.Record(tenantId, key.Id)], []);

        services.Dispose();

        Assert.AreEqual(1L, await s_database.AdminScalarAsync<long>("SELECT count(*) FROM verification_records WHERE tenant_id = $1", tenantId));
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public async Task AppendAsync_AccessDeniedRecordAndItem_ReadBackAsAccessDenied(bool copy)
    {
        var tenantId = Guid.NewGuid();
        var key = TestData.Key(tenantId);
        await Keys.AddAsync(key);
        var record = TestData.Record(tenantId, key.Id, status: VerificationStatus.AccessDenied);
        var batch = Batch(tenantId, "denied", TestData.Record(tenantId, key.Id, status: VerificationStatus.AccessDenied));

        await Writer(copy).AppendAsync([record], [batch]);

        Assert.AreEqual(VerificationStatus.AccessDenied, (await Log.QueryAsync(tenantId, new VerificationLogQuery { Status = VerificationStatus.AccessDenied })).Single().Status);
        Assert.AreEqual(VerificationStatus.AccessDenied, (await Log.GetBatchAsync(tenantId, batch.Id))!.Items.Single().Status);
        Assert.AreEqual("access_denied", await s_database.AdminScalarAsync<string>("SELECT result FROM verification_records WHERE id = $1", record.Id));
        Assert.AreEqual(0, await s_database.AdminScalarAsync<int>("SELECT valid_count FROM batch_verifications WHERE id = $1", batch.Id));
    }

    private static BatchVerificationRecord Batch(Guid tenantId, string? caller, params VerificationRecord[] items) => new()
    {
        Id = Guid.CreateVersion7(),
        TenantId = tenantId,
        Caller = caller,
        StartedAt = DateTimeOffset.UtcNow,
        CompletedAt = DateTimeOffset.UtcNow,
        Items = items,
    };
}
