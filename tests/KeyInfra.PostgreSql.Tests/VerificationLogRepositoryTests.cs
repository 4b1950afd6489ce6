using KeyInfra.Keys;
using KeyInfra.PostgreSql.Storage;
using KeyInfra.Storage;
using KeyInfra.Verification;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace KeyInfra.PostgreSql.Tests;

[TestClass]
public sealed class VerificationLogRepositoryTests
{
    private static PostgreSqlTestDatabase s_database = null!;
    private static ServiceProvider s_services = null!;

    private static IVerificationLogRepository Log => s_services.GetRequiredService<IVerificationLogRepository>();

    private static IKeyRepository Keys => s_services.GetRequiredService<IKeyRepository>();

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context)
    {
        s_database = await PostgreSqlTestDatabase.CreateAsync();
        s_services = s_database.BuildServices();
    }

    [ClassCleanup]
    public static async Task ClassCleanup()
    {
        await s_services.DisposeAsync();
        await s_database.DisposeAsync();
    }

    [TestMethod]
    public void Registration_PostgreSql_ReplacesTheEfLogWriterWithCopy()
    {
        Assert.IsInstanceOfType<PostgreSqlVerificationLogRepository>(Log);
        Assert.IsInstanceOfType<PostgreSqlKeyRepository>(Keys);
    }

    [TestMethod]
    public async Task AppendAsync_RecordsAndBatch_CommitsEveryRowWithItsValues()
    {
        var tenantId = Guid.NewGuid();
        var key = TestData.Key(tenantId);
        await Keys.AddAsync(key);
        var records = new[]
        {
            TestData.Record(tenantId, key.Id),
            TestData.Record(tenantId, key.Id, status: VerificationStatus.InvalidSignature, caller: null),
            TestData.Record(tenantId, KeyId.New(), keyExists: false, status: VerificationStatus.KeyNotFound),
        };
        var batch = new BatchVerificationRecord
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenantId,
            Caller = "batch-caller",
            StartedAt = DateTimeOffset.UtcNow,
            CompletedAt = DateTimeOffset.UtcNow,
            Items = [TestData.Record(tenantId, key.Id), TestData.Record(tenantId, key.Id, status: VerificationStatus.MalformedSignature)],
        };

        await Log.AppendAsync(records, [batch]);

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
            Assert.AreEqual(record.VerifiedAt.UtcTicks / 10, match.VerifiedAt.UtcTicks / 10);
            CollectionAssert.AreEqual(record.DocumentSha256, match.DocumentSha256);
            CollectionAssert.AreEqual(record.SignatureSha256, match.SignatureSha256);
        }

        var storedBatch = await Log.GetBatchAsync(tenantId, batch.Id);
        Assert.IsNotNull(storedBatch);
        Assert.AreEqual("batch-caller", storedBatch.Caller);
        CollectionAssert.AreEqual(batch.Items.Select(i => i.Id).ToArray(), storedBatch.Items.Select(i => i.Id).ToArray());
        Assert.AreEqual(VerificationStatus.MalformedSignature, storedBatch.Items[1].Status);
        Assert.AreEqual(1, await s_database.AdminScalarAsync<int>("SELECT valid_count FROM batch_verifications WHERE id = $1", batch.Id));
    }

    [TestMethod]
    public async Task AppendAsync_SeveralTenantsInOneCall_EachRowKeepsItsTenant()
    {
        var tenantA = Guid.NewGuid();
        var tenantB = Guid.NewGuid();
        var keyA = TestData.Key(tenantA);
        var keyB = TestData.Key(tenantB);
        await Keys.AddAsync(keyA);
        await Keys.AddAsync(keyB);

        await Log.AppendAsync([TestData.Record(tenantA, keyA.Id), TestData.Record(tenantB, keyB.Id), TestData.Record(tenantB, keyB.Id)], []);

        Assert.HasCount(1, await Log.QueryAsync(tenantA, new VerificationLogQuery { PageSize = 10 }));
        Assert.HasCount(2, await Log.QueryAsync(tenantB, new VerificationLogQuery { PageSize = 10 }));
        Assert.AreEqual(2L, await s_database.AdminScalarAsync<long>("SELECT count(*) FROM verification_records WHERE tenant_id = $1", tenantB));
    }

    [TestMethod]
    public async Task AppendAsync_MonthWithoutPartition_CreatesThePartitionFirst()
    {
        var tenantId = Guid.NewGuid();
        var key = TestData.Key(tenantId);
        await Keys.AddAsync(key);
        var record = TestData.Record(tenantId, key.Id, verifiedAt: new DateTimeOffset(2041, 5, 31, 23, 59, 59, TimeSpan.Zero));

        await Log.AppendAsync([record], []);

        Assert.AreEqual(1L, await s_database.AdminScalarAsync<long>("SELECT count(*) FROM verification_records_p2041_05 WHERE id = $1", record.Id));
    }

    [TestMethod]
    public async Task AppendAsync_MalformedHash_WritesNothing()
    {
        var tenantId = Guid.NewGuid();
        var key = TestData.Key(tenantId);
        await Keys.AddAsync(key);
        var good = TestData.Record(tenantId, key.Id);
        var bad = TestData.Record(tenantId, key.Id) with { DocumentSha256 = new byte[31] };

        await Assert.ThrowsExactlyAsync<ArgumentException>(() => Log.AppendAsync([good, bad], []));

        Assert.AreEqual(0L, await s_database.AdminScalarAsync<long>("SELECT count(*) FROM verification_records WHERE tenant_id = $1", tenantId));
    }

    [TestMethod]
    public async Task AppendAsync_RecordOfAMissingKey_RollsBackTheWholeCall()
    {
        var tenantId = Guid.NewGuid();
        var key = TestData.Key(tenantId);
        await Keys.AddAsync(key);
        var good = TestData.Record(tenantId, key.Id);
        var orphan = TestData.Record(tenantId, KeyId.New(), keyExists: true);

        var error = await Assert.ThrowsExactlyAsync<PostgresException>(() => Log.AppendAsync([good, orphan], []));

        Assert.AreEqual(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
        Assert.AreEqual(0L, await s_database.AdminScalarAsync<long>("SELECT count(*) FROM verification_records WHERE tenant_id = $1", tenantId));

        // The writer's connection is still usable.
        await Log.AppendAsync([good], []);
        Assert.AreEqual(1L, await s_database.AdminScalarAsync<long>("SELECT count(*) FROM verification_records WHERE tenant_id = $1", tenantId));
    }

    [TestMethod]
    public async Task AppendAsync_ConcurrentCallers_AllRowsCommitted()
    {
        var tenantId = Guid.NewGuid();
        var key = TestData.Key(tenantId);
        await Keys.AddAsync(key);

        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Log.AppendAsync(Enumerable.Range(0, 25).Select(_ => TestData.Record(tenantId, key.Id)).ToArray(), [])));

        Assert.AreEqual(400L, await s_database.AdminScalarAsync<long>("SELECT count(*) FROM verification_records WHERE tenant_id = $1", tenantId));
    }
}
