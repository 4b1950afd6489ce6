using System.Diagnostics;
using KeyInfra.Keys;
using KeyInfra.PostgreSql.Notifications;
using KeyInfra.PostgreSql.Partitions;
using KeyInfra.Signing;
using KeyInfra.Storage;
using KeyInfra.Verification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace KeyInfra.PostgreSql.Tests;

/// <summary>
/// The PostgreSQL hosted services (LISTEN/NOTIFY, partition maintenance) run while PostgreSQL is the selected
/// storage, whatever decorates the key repository, and stay off once another provider is selected after it.
/// </summary>
[TestClass]
public sealed class StorageSelectionTests
{
    private static readonly byte[] s_document = "selected storage"u8.ToArray();

    [TestMethod]
    public async Task HostedServices_KeyRepositoryDecorated_StillRunAndChangesStillArrive()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        var masterKey = PostgreSqlTestHost.NewMasterKey();
        static void Options(KeyInfraOptions o)
        {
            o.KeyCache.TimeToLive = TimeSpan.FromHours(1);
            o.VerificationLog.Mode = LogMode.Off;
        }

        await using var plain = await PostgreSqlTestHost.StartAsync(database.AppConnectionString, masterKey, Options);
        await using var decorated = await PostgreSqlTestHost.StartAsync(database.AppConnectionString, masterKey, Options, services: s =>
        {
            var descriptor = s.Single(d => d.ServiceType == typeof(IKeyRepository));
            s.Remove(descriptor);
            s.AddSingleton<IKeyRepository>(provider => new PassThroughKeyRepository((IKeyRepository)ActivatorUtilities.CreateInstance(provider, descriptor.ImplementationType!)));
        });
        await decorated.Get<KeyChangeListener>().Listening.WaitAsync(TimeSpan.FromSeconds(30));
        await plain.Get<KeyChangeListener>().Listening.WaitAsync(TimeSpan.FromSeconds(30));

        var key = await plain.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "decorated listener"));
        var signature = (await plain.Get<ISigner>().SignAsync(new SignRequest(key.Id, s_document))).Signature;
        var request = new VerificationRequest(key.Id, s_document, signature);
        var before = (await decorated.Get<IVerifier>().VerifyAsync(request)).Status;
        await plain.Get<IKeyStore>().RevokeAsync(key.Id, RevocationReason.KeyCompromise);

        Assert.IsInstanceOfType<PassThroughKeyRepository>(decorated.Get<IKeyRepository>());
        Assert.IsFalse(PartitionService(decorated).ExecuteTask!.IsCompleted, "Partition maintenance runs until the host stops.");
        Assert.AreEqual(VerificationStatus.Valid, before);
        var clock = Stopwatch.StartNew();
        while ((await decorated.Get<IVerifier>().VerifyAsync(request)).Status != VerificationStatus.KeyRevoked)
        {
            Assert.IsLessThan(TimeSpan.FromSeconds(1), clock.Elapsed, "The decorated instance did not hear of the revocation.");
            await Task.Yield();
        }
    }

    [TestMethod]
    public async Task HostedServices_AnotherStorageSelectedAfterUsePostgreSql_StayOff()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        await using var host = await PostgreSqlTestHost.StartAsync(database.AppConnectionString, PostgreSqlTestHost.NewMasterKey(), services: s =>
        {
            // What UseSqlite (or any later Use… storage method) does to the selection.
            s.RemoveAll<KeyInfraStorageSelection>();
            s.AddSingleton(new KeyInfraStorageSelection("Sqlite"));
        });

        var listener = host.Get<KeyChangeListener>();

        // An active service runs until the host stops; these return on their own, having done nothing.
        await listener.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30));
        await PartitionService(host).ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.IsFalse(listener.Listening.IsCompleted);
    }

    private static PartitionMaintenanceService PartitionService(PostgreSqlTestHost host)
        => host.Services.GetServices<IHostedService>().OfType<PartitionMaintenanceService>().Single();

    // A decorator of the kind a host adds (metrics, caching): it must not change which storage is selected.
    private sealed class PassThroughKeyRepository(IKeyRepository inner) : IKeyRepository
    {
        public Task<bool> AddAsync(KeyRecord key, CancellationToken cancellationToken = default) => inner.AddAsync(key, cancellationToken);

        public Task<KeyRecord?> FindAsync(Guid tenantId, KeyId id, CancellationToken cancellationToken = default) => inner.FindAsync(tenantId, id, cancellationToken);

        public Task<KeyRecord?> FindAsync(Guid tenantId, KeyId id, bool includePrivateKey, CancellationToken cancellationToken = default)
            => inner.FindAsync(tenantId, id, includePrivateKey, cancellationToken);

        public Task<KeyRecord?> FindLatestInRingAsync(Guid tenantId, string ringName, CancellationToken cancellationToken = default)
            => inner.FindLatestInRingAsync(tenantId, ringName, cancellationToken);

        public Task<IReadOnlyList<KeyRecord>> FindByPublicKeyAsync(Guid tenantId, PublicKeyLookup lookup, int limit, CancellationToken cancellationToken = default)
            => inner.FindByPublicKeyAsync(tenantId, lookup, limit, cancellationToken);

        public Task<IReadOnlyList<KeyRecord>> ListAsync(Guid tenantId, KeyQuery query, int limit, CancellationToken cancellationToken = default)
            => inner.ListAsync(tenantId, query, limit, cancellationToken);

        public Task<IReadOnlyList<KeyRecord>> ListAsync(Guid tenantId, KeyQuery query, int limit, bool includePrivateKey, CancellationToken cancellationToken = default)
            => inner.ListAsync(tenantId, query, limit, includePrivateKey, cancellationToken);

        public Task<bool> UpdateLifecycleAsync(KeyRecord key, CancellationToken cancellationToken = default) => inner.UpdateLifecycleAsync(key, cancellationToken);

        public Task<bool> UpdatePrivateKeyAsync(Guid tenantId, KeyId id, PrivateKeyRecord privateKey, CancellationToken cancellationToken = default)
            => inner.UpdatePrivateKeyAsync(tenantId, id, privateKey, cancellationToken);

        public Task<DeleteKeyOutcome> DeleteAsync(Guid tenantId, KeyId id, CancellationToken cancellationToken = default) => inner.DeleteAsync(tenantId, id, cancellationToken);

        public IAsyncEnumerable<StoredPrivateKey> ListPrivateKeysAsync(CancellationToken cancellationToken = default) => inner.ListPrivateKeysAsync(cancellationToken);

        public Task<bool> UpdateRowMacAsync(Guid tenantId, KeyId id, long version, byte[] rowMac, string masterKeyId, CancellationToken cancellationToken = default) => inner.UpdateRowMacAsync(tenantId, id, version, rowMac, masterKeyId, cancellationToken);

        public IAsyncEnumerable<KeyRecord> ListKeyRowsAsync(CancellationToken cancellationToken = default) => inner.ListKeyRowsAsync(cancellationToken);

        public Task<IReadOnlyList<string>> ListMasterKeyIdsInUseAsync(CancellationToken cancellationToken = default) => inner.ListMasterKeyIdsInUseAsync(cancellationToken);

        public Task<IReadOnlyList<MasterKeyUseCount>> CountMasterKeyUsesAsync(CancellationToken cancellationToken = default) => inner.CountMasterKeyUsesAsync(cancellationToken);
    }
}
