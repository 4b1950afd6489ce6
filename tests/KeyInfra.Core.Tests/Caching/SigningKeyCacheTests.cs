using KeyInfra.Caching;
using KeyInfra.Diagnostics;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.PrivateKeys;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KeyInfra.Core.Tests.Caching;

/// <summary>
/// The signing key cache against invalidations that land while a key is read and opened (placed with a hook the test
/// controls), and its check of the stored key before the private key is opened.
/// </summary>
[TestClass]
public sealed class SigningKeyCacheTests
{
    private static readonly Action<KeyInfo> s_acceptAll = _ => { };

    [TestMethod]
    public async Task AcquireAsync_KeyRevokedAfterItWasOpenedBeforeTheInsert_NextAcquireReadsTheRevocation()
    {
        // Arrange
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var reader = new InMemoryKeyReader();
        var backend = new CountingPrivateKeyBackend();
        using var cache = Create(reader, backend, services);
        var key = TestKeyRecords.Active(CountingPrivateKeyBackend.BackendName);
        reader.Write(key);
        cache.BeforeInsert = (tenantId, keyId) =>
        {
            cache.BeforeInsert = null;
            reader.Write(TestKeyRecords.Revoked(key));
            cache.Invalidate(tenantId, keyId);
        };

        // Act
        var raced = await cache.AcquireAsync(key.TenantId, key.Id, s_acceptAll, CancellationToken.None);
        raced!.Release();
        var after = await cache.AcquireAsync(key.TenantId, key.Id, s_acceptAll, CancellationToken.None);

        // Assert
        Assert.AreEqual(KeyStatus.Revoked, after!.Info.Status, "An acquire after the invalidation returned must not get the key opened before it.");
        Assert.AreEqual(2, reader.Reads);
        Assert.AreEqual(1, backend.Disposed, "The raced handle was never cached, so its caller's release disposed it.");
        after.Release();
    }

    [TestMethod]
    public async Task AcquireAsync_CheckRefusesTheStoredKey_PrivateKeyNeverOpened()
    {
        // Arrange
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var reader = new InMemoryKeyReader();
        var backend = new CountingPrivateKeyBackend();
        using var cache = Create(reader, backend, services);
        var key = TestKeyRecords.Revoked(TestKeyRecords.Active(CountingPrivateKeyBackend.BackendName));
        reader.Write(key);
        KeyInfo? checkedInfo = null;

        // Act
        var refused = await Assert.ThrowsExactlyAsync<KeyStateException>(async () => await cache.AcquireAsync(key.TenantId, key.Id, info =>
        {
            checkedInfo = info;
            throw new KeyStateException(ErrorCodes.KeyRevoked, "revoked", info.Id);
        }, CancellationToken.None));

        // Assert
        Assert.AreEqual(ErrorCodes.KeyRevoked, refused.ErrorCode);
        Assert.AreEqual(KeyStatus.Revoked, checkedInfo!.Status);
        Assert.AreEqual(0, backend.Opened);
    }

    [TestMethod]
    public async Task AcquireAsync_CachedKeyInvalidated_HandleDisposedOnceAndNextAcquireOpensAgain()
    {
        // Arrange
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var reader = new InMemoryKeyReader();
        var backend = new CountingPrivateKeyBackend();
        using var cache = Create(reader, backend, services);
        var key = TestKeyRecords.Active(CountingPrivateKeyBackend.BackendName);
        reader.Write(key);
        (await cache.AcquireAsync(key.TenantId, key.Id, s_acceptAll, CancellationToken.None))!.Release();

        // Act
        cache.Invalidate(key.TenantId, key.Id);
        var disposedByInvalidation = backend.Disposed;
        var again = await cache.AcquireAsync(key.TenantId, key.Id, s_acceptAll, CancellationToken.None);

        // Assert
        Assert.AreEqual(1, disposedByInvalidation);
        Assert.AreEqual(2, backend.Opened);
        again!.Release();
    }

    private static SigningKeyCache Create(InMemoryKeyReader reader, CountingPrivateKeyBackend backend, ServiceProvider services)
        => new(
            reader,
            new PrivateKeyBackendRegistry([backend]),
            Options.Create(new KeyInfraOptions()),
            TimeProvider.System,
            new KeyInfraMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
}
