using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Storage;
using KeyInfra.Verification;
using Microsoft.Extensions.DependencyInjection;

namespace KeyInfra.Tests.Conformance;

/// <summary>
/// Revocation in one process, on every provider: once <see cref="IKeyStore.RevokeAsync"/> has returned, no
/// verification or signature that starts afterwards in this process accepts the key, whatever the verifications
/// racing it have loaded or cached; and a revoke that fails after its write, or finds the key revoked already, still
/// drops the key from this process's caches.
/// </summary>
/// <remarks>
/// The order "started after the revoke returned" is taken from one shared counter that the revoker bumps after
/// <see cref="IKeyStore.RevokeAsync"/> returns and each verifier bumps before it calls <see cref="IVerifier.VerifyAsync"/>,
/// so the property is checked on the order the operations really had, not on timing. The schedule (which key, how many
/// verifications run first) is drawn from a fixed seed, printed with any failure.
/// </remarks>
public abstract class RevocationConformanceTests
{
    private static readonly byte[] Document = "revoked means refused"u8.ToArray();

    private static readonly string s_masterKey = TestHost.NewMasterKey();

    /// <summary>The provider's database, shared by the tests of the class.</summary>
    protected abstract ConformanceStorage Storage { get; }

    [TestMethod]
    public async Task RevokeAsync_WhileVerificationsRace_NoVerificationStartedAfterItReturnsIsValid()
    {
        // Arrange: default cache settings; the log off only so the verifiers spin fast (it is not on the key path).
        const int Seed = 20261202;
        const int Keys = 24;
        const int Verifiers = 4;
        await using var host = await TestHost.StartAsync(Storage, s_masterKey, o => o.VerificationLog.Mode = LogMode.Off);
        var store = host.Get<IKeyStore>();
        var verifier = host.Get<IVerifier>();
        var random = new Random(Seed);
        var keys = new (KeyInfo Key, byte[] Signature)[Keys];
        for (var i = 0; i < Keys; i++)
        {
            var key = await store.CreateAsync(new CreateKeyRequest(i % 2 == 0 ? KeySpec.Ed25519 : KeySpec.EcdsaP256, $"property {i}"));
            keys[i] = (key, (await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document))).Signature);
        }

        long clock = 0;
        var revokedAt = new long[Keys];
        var violations = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var loops = Enumerable.Range(0, Verifiers).Select(v => Task.Run(async () =>
        {
            var own = new Random(Seed + v + 1);
            while (!stop.IsCancellationRequested)
            {
                var i = own.Next(Keys);

                // Some lookups find the key cold (another key's revocation, or an explicit drop, emptied its slot).
                if (own.Next(8) == 0)
                {
                    host.Get<IKeyCacheInvalidator>().Invalidate(keys[i].Key.TenantId, keys[i].Key.Id);
                }

                var startedAt = Interlocked.Increment(ref clock);
                var result = await verifier.VerifyAsync(new VerificationRequest(keys[i].Key.Id, Document, keys[i].Signature));
                var revoked = Volatile.Read(ref revokedAt[i]);
                if (result.Status == VerificationStatus.Valid && revoked != 0 && startedAt > revoked)
                {
                    violations.Enqueue($"key {i}: Valid for a verification started at {startedAt}, after its revoke returned at {revoked}");
                }
            }
        })).ToArray();

        // Act: revoke the keys in a seeded order, each after a seeded number of verifications.
        try
        {
            foreach (var i in Enumerable.Range(0, Keys).OrderBy(_ => random.Next()))
            {
                var wait = Interlocked.Read(ref clock) + random.Next(1, 40);
                while (Interlocked.Read(ref clock) < wait)
                {
                    await Task.Yield();
                }

                await store.RevokeAsync(keys[i].Key.Id, RevocationReason.KeyCompromise);
                Volatile.Write(ref revokedAt[i], Interlocked.Increment(ref clock));
                var after = await verifier.VerifyAsync(new VerificationRequest(keys[i].Key.Id, Document, keys[i].Signature));
                Assert.AreEqual(VerificationStatus.KeyRevoked, after.Status, $"seed {Seed}, key {i}: verified right after its revoke returned");
                var signing = await Assert.ThrowsExactlyAsync<KeyStateException>(() => host.Get<ISigner>().SignAsync(new SignRequest(keys[i].Key.Id, Document)));
                Assert.AreEqual(ErrorCodes.KeyRevoked, signing.ErrorCode, $"seed {Seed}, key {i}");
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(loops);
        }

        // Assert
        Assert.IsEmpty(violations, $"seed {Seed}: {string.Join("; ", violations.Take(5))}");
    }

    [TestMethod]
    public async Task RevokeAsync_WriteCommittedThenTheCallFailed_KeyDroppedAndTheRetryReturnsRevoked()
    {
        // Arrange: a repository whose lifecycle update commits and then fails, as a call cancelled or cut off after the
        // commit does.
        FailingAfterCommitKeyRepository? repository = null;
        await using var host = await TestHost.StartAsync(Storage, s_masterKey, services: s => FailingAfterCommitKeyRepository.Decorate(s, r => repository = r));
        var store = host.Get<IKeyStore>();
        var verifier = host.Get<IVerifier>();
        var key = await store.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "fails after commit"));
        var signature = (await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document))).Signature;
        Assert.AreEqual(VerificationStatus.Valid, (await verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature))).Status);
        host.Get<IKeyRepository>();
        repository!.FailNextUpdate = true;

        // Act
        await Assert.ThrowsExactlyAsync<OperationCanceledException>(() => store.RevokeAsync(key.Id, RevocationReason.KeyCompromise));
        var afterFailure = await verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature));
        var retried = await store.RevokeAsync(key.Id, RevocationReason.KeyCompromise);
        var afterRetry = await verifier.VerifyAsync(new VerificationRequest(key.Id, Document, signature));

        // Assert
        Assert.AreEqual(VerificationStatus.KeyRevoked, afterFailure.Status, "The write committed: the failed call must still have dropped the cached key.");
        Assert.AreEqual(KeyStatus.Revoked, retried.Status);
        Assert.AreEqual(VerificationStatus.KeyRevoked, afterRetry.Status);
    }

    [TestMethod]
    public async Task SignAsync_RevokedKeyNotCached_RefusedBeforeThePrivateKeyIsRead()
    {
        // Arrange: a key revoked by another instance, so this host has nothing of it cached.
        FailingAfterCommitKeyRepository? repository = null;
        var key = await CreateRevokedElsewhereAsync();
        await using var host = await TestHost.StartAsync(Storage, s_masterKey, services: s => FailingAfterCommitKeyRepository.Decorate(s, r => repository = r));
        host.Get<IKeyRepository>();

        // Act
        var refused = await Assert.ThrowsExactlyAsync<KeyStateException>(() => host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document)));

        // Assert
        Assert.AreEqual(ErrorCodes.KeyRevoked, refused.ErrorCode);
        Assert.AreEqual(0, repository!.PrivateKeyReads, "The signer checks the key's status on its public entry before it reads (or decrypts) the private key.");
    }

    private async Task<KeyInfo> CreateRevokedElsewhereAsync()
    {
        await using var other = await TestHost.StartAsync(Storage, s_masterKey);
        var key = await other.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "revoked elsewhere"));
        return await other.Get<IKeyStore>().RevokeAsync(key.Id, RevocationReason.KeyCompromise);
    }

    /// <summary>
    /// The real repository, decorated: counts reads of private key material, and can make the next lifecycle update
    /// fail after the real one has committed.
    /// </summary>
    private sealed class FailingAfterCommitKeyRepository(IKeyRepository inner) : IKeyRepository
    {
        private int _privateKeyReads;

        public bool FailNextUpdate { get; set; }

        public int PrivateKeyReads => Volatile.Read(ref _privateKeyReads);

        public static void Decorate(IServiceCollection services, Action<FailingAfterCommitKeyRepository> created)
        {
            var registered = services.Single(d => d.ServiceType == typeof(IKeyRepository));
            services.Remove(registered);
            services.AddSingleton<IKeyRepository>(provider =>
            {
                var decorated = new FailingAfterCommitKeyRepository((IKeyRepository)ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!));
                created(decorated);
                return decorated;
            });
        }

        public Task<bool> AddAsync(KeyRecord key, CancellationToken cancellationToken = default) => inner.AddAsync(key, cancellationToken);

        public Task<KeyRecord?> FindAsync(Guid tenantId, KeyId id, CancellationToken cancellationToken = default)
            => FindAsync(tenantId, id, includePrivateKey: true, cancellationToken);

        public Task<KeyRecord?> FindAsync(Guid tenantId, KeyId id, bool includePrivateKey, CancellationToken cancellationToken = default)
        {
            if (includePrivateKey)
            {
                Interlocked.Increment(ref _privateKeyReads);
            }

            return inner.FindAsync(tenantId, id, includePrivateKey, cancellationToken);
        }

        public Task<KeyRecord?> FindLatestInRingAsync(Guid tenantId, string ringName, CancellationToken cancellationToken = default)
            => inner.FindLatestInRingAsync(tenantId, ringName, cancellationToken);

        public Task<IReadOnlyList<KeyRecord>> FindByPublicKeyAsync(Guid tenantId, PublicKeyLookup lookup, int limit, CancellationToken cancellationToken = default)
            => inner.FindByPublicKeyAsync(tenantId, lookup, limit, cancellationToken);

        public Task<IReadOnlyList<KeyRecord>> ListAsync(Guid tenantId, KeyQuery query, int limit, CancellationToken cancellationToken = default)
            => inner.ListAsync(tenantId, query, limit, cancellationToken);

        public Task<IReadOnlyList<KeyRecord>> ListAsync(Guid tenantId, KeyQuery query, int limit, bool includePrivateKey, CancellationToken cancellationToken = default)
            => inner.ListAsync(tenantId, query, limit, includePrivateKey, cancellationToken);

        public async Task<bool> UpdateLifecycleAsync(KeyRecord key, CancellationToken cancellationToken = default)
        {
            var updated = await inner.UpdateLifecycleAsync(key, cancellationToken).ConfigureAwait(false);
            if (FailNextUpdate)
            {
                FailNextUpdate = false;
                throw new OperationCanceledException("Cancelled after the update committed.");
            }

            return updated;
        }

        public Task<bool> UpdatePrivateKeyAsync(Guid tenantId, KeyId id, PrivateKeyRecord privateKey, CancellationToken cancellationToken = default)
            => inner.UpdatePrivateKeyAsync(tenantId, id, privateKey, cancellationToken);

        public Task<DeleteKeyOutcome> DeleteAsync(Guid tenantId, KeyId id, CancellationToken cancellationToken = default) => inner.DeleteAsync(tenantId, id, cancellationToken);

        public IAsyncEnumerable<StoredPrivateKey> ListPrivateKeysAsync(CancellationToken cancellationToken = default) => inner.ListPrivateKeysAsync(cancellationToken);

        public Task<IReadOnlyList<string>> ListMasterKeyIdsInUseAsync(CancellationToken cancellationToken = default) => inner.ListMasterKeyIdsInUseAsync(cancellationToken);

        public Task<IReadOnlyList<MasterKeyUseCount>> CountMasterKeyUsesAsync(CancellationToken cancellationToken = default) => inner.CountMasterKeyUsesAsync(cancellationToken);

        public Task<bool> UpdateRowMacAsync(Guid tenantId, KeyId id, long version, byte[] rowMac, string masterKeyId, CancellationToken cancellationToken = default)
            => inner.UpdateRowMacAsync(tenantId, id, version, rowMac, masterKeyId, cancellationToken);

        public IAsyncEnumerable<KeyRecord> ListKeyRowsAsync(CancellationToken cancellationToken = default) => inner.ListKeyRowsAsync(cancellationToken);
    }
}
