using System.Data.Common;
using KeyInfra.Keys;
using KeyInfra.Storage;
using KeyInfra.Verification;

namespace KeyInfra.Tests.Conformance;

/// <summary>
/// The contract of <see cref="IVerificationLogRepository"/> that every storage provider keeps, run by each provider's
/// test project against its real database.
/// </summary>
public abstract class VerificationLogRepositoryConformanceTests
{
    /// <summary>The provider's database, shared by the tests of the class (every test uses tenants of its own).</summary>
    protected abstract ConformanceStorage Storage { get; }

    private IVerificationLogRepository Log => Storage.Log;

    [TestMethod]
    public async Task AppendAsync_RecordsAndBatch_AllReadableAfterOneCall()
    {
        var tenant = Guid.NewGuid();
        var key = await AddKeyAsync(tenant);
        var records = new[]
        {
            TestData.Record(tenant, key, verifiedAt: TestData.Epoch),
            TestData.Record(tenant, KeyId.New(), keyExists: false, status: VerificationStatus.KeyNotFound, verifiedAt: TestData.Epoch.AddSeconds(1)),
        };
        var batch = Batch(tenant, key, 3);

        await Log.AppendAsync(records, [batch]);
        var read = await Log.QueryAsync(tenant, new VerificationLogQuery());
        var readBatch = await Log.GetBatchAsync(tenant, batch.Id);

        Assert.HasCount(2, read);
        AssertSameRecord(records[1], read[0]);
        AssertSameRecord(records[0], read[1]);
        Assert.IsNotNull(readBatch);
        Assert.HasCount(3, readBatch.Items);
    }

    [TestMethod]
    public async Task AppendAsync_SameRowsTwice_StoresThemOnceWithoutError()
    {
        // The log writer appends again after a failure whose commit may have happened: the repeat must succeed.
        var tenant = Guid.NewGuid();
        var key = await AddKeyAsync(tenant);
        var record = TestData.Record(tenant, key);
        var batch = Batch(tenant, key, 2);
        await Log.AppendAsync([record], [batch]);

        await Log.AppendAsync([record], [batch]);

        Assert.HasCount(1, await Log.QueryAsync(tenant, new VerificationLogQuery()));
        Assert.HasCount(2, (await Log.GetBatchAsync(tenant, batch.Id))!.Items);
        Assert.AreEqual(1L, await Storage.ScalarAsync<long>("SELECT COUNT(*) FROM batch_verifications WHERE id = $1", batch.Id));
    }

    [TestMethod]
    public async Task AppendAsync_RecordForMissingKey_CommitsNothingFromThatCall()
    {
        var tenant = Guid.NewGuid();
        var key = await AddKeyAsync(tenant);
        var good = TestData.Record(tenant, key);
        var batch = Batch(tenant, key, 2);

        // KeyExists says the key is there, but it is not: the foreign key refuses the row.
        var bad = TestData.Record(tenant, KeyId.New(), keyExists: true);

        await Assert.ThrowsAsync<DbException>(() => Log.AppendAsync([good, bad], [batch]));

        Assert.IsEmpty(await Log.QueryAsync(tenant, new VerificationLogQuery()));
        Assert.IsNull(await Log.GetBatchAsync(tenant, batch.Id));
        Assert.AreEqual(0L, await Storage.ScalarAsync<long>("SELECT COUNT(*) FROM batch_verification_items WHERE batch_id = $1", batch.Id));
    }

    [TestMethod]
    public async Task AppendAsync_BatchItemForMissingKey_CommitsNothingFromThatCall()
    {
        var tenant = Guid.NewGuid();
        var key = await AddKeyAsync(tenant);
        var good = TestData.Record(tenant, key);
        var batch = Batch(tenant, key, 2) is var b ? b with { Items = [.. b.Items, TestData.Record(tenant, KeyId.New(), keyExists: true)] } : null!;

        await Assert.ThrowsAsync<DbException>(() => Log.AppendAsync([good], [batch]));

        Assert.IsEmpty(await Log.QueryAsync(tenant, new VerificationLogQuery()));
        Assert.IsNull(await Log.GetBatchAsync(tenant, batch.Id));
    }

    [TestMethod]
    public async Task QueryAsync_ReturnsNewestFirstAndPageSizePlusOne()
    {
        var tenant = Guid.NewGuid();
        var key = await AddKeyAsync(tenant);
        var records = Enumerable.Range(0, 6).Select(i => TestData.Record(tenant, key, verifiedAt: TestData.Epoch.AddMinutes(i))).ToArray();
        await Log.AppendAsync(records, []);

        var page = await Log.QueryAsync(tenant, new VerificationLogQuery { PageSize = 3 });

        CollectionAssert.AreEqual(new[] { records[5].Id, records[4].Id, records[3].Id, records[2].Id }, page.Select(r => r.Id).ToList());
    }

    [TestMethod]
    public async Task QueryAsync_PagingWithBefore_VisitsEveryRecordOnceIncludingTies()
    {
        var tenant = Guid.NewGuid();
        var key = await AddKeyAsync(tenant);

        // Three records share each timestamp: the id breaks the tie.
        var records = Enumerable.Range(0, 9).Select(i => TestData.Record(tenant, key, verifiedAt: TestData.Epoch.AddSeconds(i / 3))).ToArray();
        await Log.AppendAsync(records, []);

        var seen = new List<Guid>();
        Guid? before = null;
        while (true)
        {
            var page = await Log.QueryAsync(tenant, new VerificationLogQuery { PageSize = 2, Before = before });
            seen.AddRange(page.Take(2).Select(r => r.Id));
            if (page.Count <= 2)
            {
                break;
            }

            before = page[1].Id;
        }

        var expected = records.OrderByDescending(r => r.VerifiedAt).ThenByDescending(r => r.Id).Select(r => r.Id).ToList();
        CollectionAssert.AreEqual(expected, seen);
    }

    [TestMethod]
    public async Task QueryAsync_Filters_ReturnOnlyMatchingRecords()
    {
        var tenant = Guid.NewGuid();
        var keyA = await AddKeyAsync(tenant);
        var keyB = await AddKeyAsync(tenant);
        var missing = KeyId.New();
        var r0 = TestData.Record(tenant, keyA, verifiedAt: TestData.Epoch);
        var r1 = TestData.Record(tenant, keyA, status: VerificationStatus.InvalidSignature, verifiedAt: TestData.Epoch.AddHours(1));
        var r2 = TestData.Record(tenant, keyB, status: VerificationStatus.KeyRevoked, verifiedAt: TestData.Epoch.AddHours(2));
        var r3 = TestData.Record(tenant, missing, keyExists: false, status: VerificationStatus.KeyNotFound, verifiedAt: TestData.Epoch.AddHours(3));
        await Log.AppendAsync([r0, r1, r2, r3], []);

        async Task<List<Guid>> Query(VerificationLogQuery query) => (await Log.QueryAsync(tenant, query)).Select(r => r.Id).ToList();

        CollectionAssert.AreEqual(new[] { r1.Id, r0.Id }, await Query(new VerificationLogQuery { KeyId = keyA }));
        CollectionAssert.AreEqual(new[] { r3.Id }, await Query(new VerificationLogQuery { KeyId = missing }));
        CollectionAssert.AreEqual(new[] { r2.Id }, await Query(new VerificationLogQuery { Status = VerificationStatus.KeyRevoked }));
        CollectionAssert.AreEqual(new[] { r2.Id, r1.Id }, await Query(new VerificationLogQuery { From = TestData.Epoch.AddHours(1), To = TestData.Epoch.AddHours(3) }));
        CollectionAssert.AreEqual(new[] { r1.Id }, await Query(new VerificationLogQuery { KeyId = keyA, Status = VerificationStatus.InvalidSignature }));
        CollectionAssert.AreEqual(new[] { r3.Id, r2.Id }, await Query(new VerificationLogQuery { From = TestData.Epoch.AddHours(2).ToOffset(TimeSpan.FromHours(9)) }));
    }

    [TestMethod]
    public async Task QueryAsync_OtherTenant_SeesNothing()
    {
        var tenant = Guid.NewGuid();
        var key = await AddKeyAsync(tenant);
        var record = TestData.Record(tenant, key);
        await Log.AppendAsync([record], []);

        Assert.IsEmpty(await Log.QueryAsync(Guid.NewGuid(), new VerificationLogQuery()));
        Assert.IsEmpty(await Log.QueryAsync(Guid.NewGuid(), new VerificationLogQuery { KeyId = key }));
    }

    [TestMethod]
    public async Task QueryAsync_CursorOfAnotherTenant_ThrowsArgumentException()
    {
        var tenant = Guid.NewGuid();
        var key = await AddKeyAsync(tenant);
        var record = TestData.Record(tenant, key);
        await Log.AppendAsync([record], []);

        await Assert.ThrowsExactlyAsync<ArgumentException>(() => Log.QueryAsync(Guid.NewGuid(), new VerificationLogQuery { Before = record.Id }));
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(1001)]
    public async Task QueryAsync_PageSizeOutOfRange_Throws(int pageSize)
    {
        await Assert.ThrowsExactlyAsync<ArgumentOutOfRangeException>(() => Log.QueryAsync(Guid.NewGuid(), new VerificationLogQuery { PageSize = pageSize }));
    }

    [TestMethod]
    public async Task GetBatchAsync_ReturnsItemsInRequestOrderWithCounts()
    {
        var tenant = Guid.NewGuid();
        var key = await AddKeyAsync(tenant);

        // Item ids deliberately in reverse order of the items: order must come from item_index.
        var items = Enumerable.Range(0, 5)
            .Select(i => TestData.Record(tenant, key, status: i % 2 == 0 ? VerificationStatus.Valid : VerificationStatus.InvalidSignature, id: Guid.CreateVersion7(TestData.Epoch.AddMilliseconds(-i))))
            .Append(TestData.Record(tenant, KeyId.New(), keyExists: false, status: VerificationStatus.KeyNotFound))
            .ToArray();
        var batch = new BatchVerificationRecord
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenant,
            Caller = "batch-caller",
            StartedAt = TestData.Epoch,
            CompletedAt = TestData.Epoch.AddSeconds(2),
            Items = items,
        };
        await Log.AppendAsync([], [batch]);

        var read = await Log.GetBatchAsync(tenant, batch.Id);
        var counts = await Storage.ScalarAsync<string>("SELECT CAST(total_count AS TEXT) || '/' || CAST(valid_count AS TEXT) FROM batch_verifications WHERE id = $1", batch.Id);

        Assert.IsNotNull(read);
        CollectionAssert.AreEqual(items.Select(i => i.Id).ToList(), read.Items.Select(i => i.Id).ToList());
        Assert.AreEqual("batch-caller", read.Caller);
        Assert.AreEqual(batch.StartedAt, read.StartedAt);
        Assert.AreEqual(batch.CompletedAt, read.CompletedAt);
        Assert.IsFalse(read.Items[^1].KeyExists);
        Assert.IsTrue(read.Items.All(i => i.TenantId == tenant && i.Caller == "batch-caller"));
        AssertSameRecord(items[0] with { Caller = "batch-caller" }, read.Items[0]);
        Assert.AreEqual("6/3", counts);
    }

    [TestMethod]
    public async Task AppendAsync_CallerIdAndDetail_RoundTripOnRecordsBatchesAndItems()
    {
        var tenant = Guid.NewGuid();
        var key = await AddKeyAsync(tenant);
        var record = TestData.Record(tenant, key, status: VerificationStatus.MalformedSignature) with
        {
            CallerId = "app:billing",
            Detail = "64-byte P1363 expected; 71 bytes that parse as DER",
        };
        var batch = Batch(tenant, key, 2) with { CallerId = "user:42" };
        batch = batch with { Items = [batch.Items[0] with { Detail = "item detail" }, batch.Items[1]] };

        await Log.AppendAsync([record], [batch]);
        var readRecord = (await Log.QueryAsync(tenant, new VerificationLogQuery())).Single();
        var readBatch = await Log.GetBatchAsync(tenant, batch.Id);

        AssertSameRecord(record, readRecord);
        Assert.AreEqual("user:42", readBatch!.CallerId);
        Assert.AreEqual("item detail", readBatch.Items[0].Detail);
        Assert.IsNull(readBatch.Items[1].Detail);
        Assert.IsTrue(readBatch.Items.All(i => i.CallerId == "user:42"));
    }

    [TestMethod]
    public async Task GetBatchAsync_OtherTenantOrUnknownId_ReturnsNull()
    {
        var tenant = Guid.NewGuid();
        var key = await AddKeyAsync(tenant);
        var batch = Batch(tenant, key, 1);
        await Log.AppendAsync([], [batch]);

        Assert.IsNull(await Log.GetBatchAsync(Guid.NewGuid(), batch.Id));
        Assert.IsNull(await Log.GetBatchAsync(tenant, Guid.NewGuid()));
    }

    [TestMethod]
    [DataRow("'; DROP TABLE verification_records; --")]
    [DataRow("Ünïcødé 呼び出し 🔏")]
    public async Task AppendAsync_CallerWithMetacharacters_RoundTripsUnchanged(string caller)
    {
        var tenant = Guid.NewGuid();
        var key = await AddKeyAsync(tenant);
        var record = TestData.Record(tenant, key, caller: caller);
        var batch = Batch(tenant, key, 1) with { Caller = caller };
        await Log.AppendAsync([record], [batch]);

        Assert.AreEqual(caller, (await Log.QueryAsync(tenant, new VerificationLogQuery())).Single().Caller);
        Assert.AreEqual(caller, (await Log.GetBatchAsync(tenant, batch.Id))!.Caller);
    }

    [TestMethod]
    public async Task AppendAsync_AccessDeniedRecordAndItem_ReadBackAsAccessDenied()
    {
        var tenant = Guid.NewGuid();
        var key = await AddKeyAsync(tenant);
        var record = TestData.Record(tenant, key, status: VerificationStatus.AccessDenied);
        var batch = Batch(tenant, key, 1) with { Items = [TestData.Record(tenant, key, status: VerificationStatus.AccessDenied)] };

        await Log.AppendAsync([record], [batch]);

        Assert.AreEqual(VerificationStatus.AccessDenied, (await Log.QueryAsync(tenant, new VerificationLogQuery { Status = VerificationStatus.AccessDenied })).Single().Status);
        Assert.AreEqual(VerificationStatus.AccessDenied, (await Log.GetBatchAsync(tenant, batch.Id))!.Items.Single().Status);
    }

    [TestMethod]
    public async Task AppendAsync_GroupRepeatingStoredRows_StoresOnlyTheNewOnes()
    {
        // Appends are idempotent by record id: a row already stored is skipped, the rest of the group commits.
        var tenant = Guid.NewGuid();
        var key = await AddKeyAsync(tenant);
        var stored = TestData.Record(tenant, key, verifiedAt: TestData.Epoch);
        var storedBatch = Batch(tenant, key, 1);
        await Log.AppendAsync([stored], [storedBatch]);
        var fresh = TestData.Record(tenant, key, verifiedAt: TestData.Epoch.AddSeconds(1));
        var freshBatch = Batch(tenant, key, 2);

        await Log.AppendAsync([stored, fresh], [storedBatch, freshBatch]);

        CollectionAssert.AreEqual(new[] { fresh.Id, stored.Id }, (await Log.QueryAsync(tenant, new VerificationLogQuery())).Select(r => r.Id).ToList());
        Assert.HasCount(1, (await Log.GetBatchAsync(tenant, storedBatch.Id))!.Items);
        Assert.HasCount(2, (await Log.GetBatchAsync(tenant, freshBatch.Id))!.Items);
    }

    [TestMethod]
    public async Task QueryAsync_UnreadableResult_ThrowsStoredDataInvalid()
    {
        // A store that cannot read all it needs throws, never returns part.
        var tenant = Guid.NewGuid();
        var key = await AddKeyAsync(tenant);
        var records = Enumerable.Range(0, 3).Select(i => TestData.Record(tenant, key, verifiedAt: TestData.Epoch.AddMinutes(i))).ToArray();
        await Log.AppendAsync(records, []);
        Assert.AreEqual(1, await Storage.TamperAsync("UPDATE verification_records SET result = 'forged' WHERE id = $1", records[1].Id));

        var ex = await Assert.ThrowsExactlyAsync<Errors.KeyInfraException>(() => Log.QueryAsync(tenant, new VerificationLogQuery()));

        Assert.AreEqual(Errors.ErrorCodes.StoredDataInvalid, ex.ErrorCode);
    }

    [TestMethod]
    public async Task GetBatchAsync_UnreadableItem_ThrowsStoredDataInvalid()
    {
        var tenant = Guid.NewGuid();
        var key = await AddKeyAsync(tenant);
        var batch = Batch(tenant, key, 3);
        await Log.AppendAsync([], [batch]);
        Assert.AreEqual(1, await Storage.TamperAsync("UPDATE batch_verification_items SET result = 'forged' WHERE id = $1", batch.Items[2].Id));

        var ex = await Assert.ThrowsExactlyAsync<Errors.KeyInfraException>(() => Log.GetBatchAsync(tenant, batch.Id));

        Assert.AreEqual(Errors.ErrorCodes.StoredDataInvalid, ex.ErrorCode);
    }

    private async Task<KeyId> AddKeyAsync(Guid tenant)
    {
        var key = TestData.Key(tenant);
        Assert.IsTrue(await Storage.Keys.AddAsync(key));
        return key.Id;
    }

    private static BatchVerificationRecord Batch(Guid tenant, KeyId key, int items) => new()
    {
        Id = Guid.CreateVersion7(),
        TenantId = tenant,
        Caller = "batch",
        StartedAt = TestData.Epoch,
        CompletedAt = TestData.Epoch.AddSeconds(1),
        Items = Enumerable.Range(0, items).Select(_ => TestData.Record(tenant, key, caller: "batch")).ToArray(),
    };

    private static void AssertSameRecord(VerificationRecord expected, VerificationRecord actual)
    {
        Assert.AreEqual(expected.Id, actual.Id);
        Assert.AreEqual(expected.TenantId, actual.TenantId);
        Assert.AreEqual(expected.RequestedKeyId, actual.RequestedKeyId);
        Assert.AreEqual(expected.KeyExists, actual.KeyExists);
        Assert.AreEqual(expected.Algorithm, actual.Algorithm);
        Assert.AreEqual(expected.Status, actual.Status);
        CollectionAssert.AreEqual(expected.DocumentSha256, actual.DocumentSha256);
        CollectionAssert.AreEqual(expected.SignatureSha256, actual.SignatureSha256);
        Assert.AreEqual(expected.VerifiedAt, actual.VerifiedAt);
        Assert.AreEqual(expected.Caller, actual.Caller);
        Assert.AreEqual(expected.CallerId, actual.CallerId);
        Assert.AreEqual(expected.Detail, actual.Detail);
    }
}
