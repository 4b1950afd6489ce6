using System.Security.Cryptography;
using KeyInfra.Encryption;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Verification;
using Microsoft.Extensions.DependencyInjection;

namespace KeyInfra.Sqlite.Tests.Engine;

/// <summary>
/// Two instances on one database, their master key from one secret store that refreshes hourly: when the store gets a
/// new version and one instance reads it first, the other reads its keys at once on meeting a row of the new key,
/// instead of refusing the row as tampered until its own refresh.
/// </summary>
[TestClass]
public sealed class OnDemandMasterKeyFetchTests
{
    private static readonly byte[] Document = "written by the instance that refreshed first"u8.ToArray();

    [TestMethod]
    public async Task AnInstanceThatHasNotRefreshed_MeetsAKeyOfTheNewVersion_ReadsTheStoreAtOnceAndUsesIt()
    {
        var store = new SharedStore();
        var folder = KeyInfraTestHost.NewFolder();
        try
        {
            await using var first = await KeyInfraTestHost.StartAsync(folder, services: s => s.AddKeyInfrastructure().UseMasterKeySource(_ => new StoreSource(store)));
            await using var second = await KeyInfraTestHost.StartAsync(folder, services: s => s.AddKeyInfrastructure().UseMasterKeySource(_ => new StoreSource(store)));
            await second.Get<IKeyStore>().ListAsync(new KeyQuery());

            // The store rotates; only the first instance refreshes (as its timer would).
            store.Rotate();
            await ((StoreSource)first.Get<IEncryptionKeyProvider>()).RefreshAsync();
            var key = await first.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "under the new version"));
            var signature = await first.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document));

            // The second instance has the old ring: the row's MAC and the private key name a key it lacks.
            var source = (StoreSource)second.Get<IEncryptionKeyProvider>();
            var readsBefore = store.Reads;
            var verified = await second.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, Document, signature.Signature));
            var signed = await second.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document));

            Assert.AreEqual(VerificationStatus.Valid, verified.Status);
            Assert.IsNotEmpty(signed.Signature);
            Assert.AreEqual(readsBefore + 1, store.Reads, "one read on demand, for both");
            Assert.AreEqual(store.CurrentId, source.Status.CurrentKeyId);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(folder);
        }
    }

    /// <summary>A secret store's versions: the newest is current, the others previous.</summary>
    private sealed class SharedStore
    {
        private readonly Lock _lock = new();
        private readonly List<byte[]> _versions = [RandomNumberGenerator.GetBytes(MasterKey.KeySizeBytes)];
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public string CurrentId
        {
            get
            {
                lock (_lock)
                {
                    return MasterKey.Fingerprint(_versions[^1]);
                }
            }
        }

        public void Rotate()
        {
            lock (_lock)
            {
                _versions.Add(RandomNumberGenerator.GetBytes(MasterKey.KeySizeBytes));
            }
        }

        public MasterKeyRing Read()
        {
            Interlocked.Increment(ref _reads);
            lock (_lock)
            {
                return new MasterKeyRing(new MasterKey(_versions[^1]), _versions.Take(_versions.Count - 1).Select(v => new MasterKey(v)));
            }
        }
    }

    /// <summary>A refreshing source on <see cref="SharedStore"/> whose timer is an hour: only explicit refreshes and reads on demand run.</summary>
    private sealed class StoreSource(SharedStore store) : RefreshingMasterKeySource(TimeSpan.FromHours(1))
    {
        private string? _seen;

        protected override Task<MasterKeyRing> ReadRingAsync(CancellationToken cancellationToken)
        {
            var ring = store.Read();
            _seen = ring.Current.Id;
            return Task.FromResult(ring);
        }

        protected override Task<MasterKeyRing?> RefreshRingAsync(CancellationToken cancellationToken)
        {
            var ring = store.Read();
            if (ring.Current.Id == _seen)
            {
                ring.Dispose();
                return Task.FromResult<MasterKeyRing?>(null);
            }

            _seen = ring.Current.Id;
            return Task.FromResult<MasterKeyRing?>(ring);
        }
    }
}
