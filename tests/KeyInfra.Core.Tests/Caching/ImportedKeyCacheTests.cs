using KeyInfra.Caching;
using KeyInfra.Diagnostics;
using KeyInfra.Keys;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KeyInfra.Core.Tests.Caching;

/// <summary>
/// The public key cache against invalidations that land while a key loads. Each race is placed with a gate or a hook
/// the test controls, never by timing: the hook runs where a load has read storage and is about to insert (after it
/// trimmed a full cache), the window in which an invalidation used to be lost and the revoked key cached as active.
/// </summary>
[TestClass]
public sealed class ImportedKeyCacheTests
{
    [TestMethod]
    public async Task GetAsync_KeyRevokedAfterTheReadBeforeTheInsert_NextLookupSeesTheRevocation()
    {
        // Arrange
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var reader = new InMemoryKeyReader();
        var cache = Create(reader, services, maxEntries: 100);
        var key = TestKeyRecords.Active();
        reader.Write(key);
        cache.BeforeInsert = (tenantId, keyId) =>
        {
            // RevokeAsync as it runs in another thread: the write commits, then the caches are dropped.
            cache.BeforeInsert = null;
            reader.Write(TestKeyRecords.Revoked(key));
            cache.Invalidate(tenantId, keyId);
        };

        // Act
        var raced = await cache.GetAsync(key.TenantId, key.Id, CancellationToken.None);
        var after = await cache.GetAsync(key.TenantId, key.Id, CancellationToken.None);

        // Assert
        Assert.AreEqual(KeyStatus.Active, raced!.Info.Status, "The lookup that started before the revocation may see the key active.");
        Assert.AreEqual(KeyStatus.Revoked, after!.Info.Status, "A lookup after the invalidation returned must not get the copy loaded before it.");
        Assert.AreEqual(2, reader.Reads);
    }

    [TestMethod]
    public async Task GetAsync_FullCacheTrimmedWhileTheKeyIsRevoked_NextLookupSeesTheRevocation()
    {
        // Arrange: a full cache, so the load trims it before it inserts.
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var reader = new InMemoryKeyReader();
        var cache = Create(reader, services, maxEntries: 8);
        for (var i = 0; i < 8; i++)
        {
            var filler = TestKeyRecords.Active();
            reader.Write(filler);
            await cache.GetAsync(filler.TenantId, filler.Id, CancellationToken.None);
        }

        var key = TestKeyRecords.Active();
        reader.Write(key);
        var trimmed = -1;
        cache.BeforeInsert = (tenantId, keyId) =>
        {
            cache.BeforeInsert = null;
            trimmed = cache.Count;
            reader.Write(TestKeyRecords.Revoked(key));
            cache.Invalidate(tenantId, keyId);
        };

        // Act
        await cache.GetAsync(key.TenantId, key.Id, CancellationToken.None);
        var after = await cache.GetAsync(key.TenantId, key.Id, CancellationToken.None);

        // Assert
        Assert.IsLessThan(8, trimmed, "The load trimmed the full cache before the invalidation landed.");
        Assert.AreEqual(KeyStatus.Revoked, after!.Info.Status);
    }

    [TestMethod]
    public async Task GetAsync_KeyRevokedWhileItsReadIsHeld_NeitherLaterLookupNorTheHeldLoadCachesTheActiveCopy()
    {
        // Arrange
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var reader = new InMemoryKeyReader();
        var cache = Create(reader, services, maxEntries: 100);
        var key = TestKeyRecords.Active();
        reader.Write(key);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        reader.Gate = gate;
        var held = cache.GetAsync(key.TenantId, key.Id, CancellationToken.None).AsTask();

        // Act: the read is held having seen nothing yet; "storage" then answers with the active copy it read earlier.
        var staleAnswer = key;
        reader.Write(TestKeyRecords.Revoked(key));
        cache.Invalidate(key.TenantId, key.Id);
        reader.Gate = null;
        var after = await cache.GetAsync(key.TenantId, key.Id, CancellationToken.None);
        reader.Write(staleAnswer);
        gate.SetResult();
        await held;
        reader.Write(TestKeyRecords.Revoked(key));
        var last = await cache.GetAsync(key.TenantId, key.Id, CancellationToken.None);

        // Assert
        Assert.AreEqual(KeyStatus.Revoked, after!.Info.Status);
        Assert.AreEqual(KeyStatus.Revoked, last!.Info.Status, "The held load must not have put its copy in the cache.");
    }

    [TestMethod]
    public async Task GetAsync_ManyLoadsRacingInvalidations_EveryLookupAfterAnInvalidationSeesTheStateWrittenBeforeIt()
    {
        // Arrange: a seeded schedule of loads, writes and invalidations on a small cache that trims often. Threads
        // interleave freely; the assertion holds for any interleaving, so no timing decides the outcome.
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var reader = new InMemoryKeyReader();
        var cache = Create(reader, services, maxEntries: 4);
        var random = new Random(20261202);
        var keys = Enumerable.Range(0, 6).Select(_ => TestKeyRecords.Active()).ToArray();
        foreach (var key in keys)
        {
            reader.Write(key);
        }

        var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 4).Select(r => Task.Run(async () =>
        {
            var own = new Random(r);
            while (!stop.IsCancellationRequested)
            {
                var key = keys[own.Next(keys.Length)];
                await cache.GetAsync(key.TenantId, key.Id, CancellationToken.None);
            }
        })).ToArray();

        // Act / Assert: revoke each key in turn; once the invalidation returned, a lookup must see it revoked.
        try
        {
            for (var round = 0; round < 200; round++)
            {
                var key = keys[random.Next(keys.Length)];
                reader.Write(TestKeyRecords.Revoked(key));
                cache.Invalidate(key.TenantId, key.Id);
                var seen = await cache.GetAsync(key.TenantId, key.Id, CancellationToken.None);
                Assert.AreEqual(KeyStatus.Revoked, seen!.Info.Status, $"Round {round}: a revoked key was served as active after its invalidation returned.");

                // Un-revoke it in "storage" (invalidating as a change would) so the next rounds race again.
                reader.Write(key);
                cache.Invalidate(key.TenantId, key.Id);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(readers);
        }
    }

    private static ImportedKeyCache Create(InMemoryKeyReader reader, ServiceProvider services, int maxEntries)
    {
        var options = new KeyInfraOptions();
        options.KeyCache.MaxEntries = maxEntries;
        return new ImportedKeyCache(reader, Options.Create(options), TimeProvider.System, new KeyInfraMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
    }
}
