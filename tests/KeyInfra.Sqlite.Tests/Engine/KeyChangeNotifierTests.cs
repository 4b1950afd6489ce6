using System.Collections.Concurrent;
using System.Security.Cryptography;
using KeyInfra.Encryption;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Sqlite;
using KeyInfra.Storage;
using KeyInfra.Verification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KeyInfra.Sqlite.Tests.Engine;

/// <summary>
/// Every committed change is announced to every registered notifier with its kind; a failing notifier fails
/// nothing; the local invalidator, which listeners call, drops cached copies and announces nothing.
/// </summary>
[TestClass]
public sealed class KeyChangeNotifierTests
{
    private static readonly byte[] Document = "announced"u8.ToArray();

    private static Task<KeyInfraTestHost> StartAsync(params IKeyChangeNotifier[] notifiers) => KeyInfraTestHost.StartAsync(
        options: o => o.KeyCache.TimeToLive = TimeSpan.FromHours(1),
        services: s =>
        {
            foreach (var notifier in notifiers)
            {
                s.TryAddEnumerable(ServiceDescriptor.Singleton(notifier));
            }
        });

    [TestMethod]
    public async Task KeyStore_EveryLifecycleChange_AnnouncedOnceWithItsKind()
    {
        var recorder = new RecordingNotifier();
        await using var host = await StartAsync(recorder);
        try
        {
            var keys = host.Get<IKeyStore>();
            using var external = ECDsa.Create(ECCurve.NamedCurves.nistP256);

            var created = await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "lifecycle") { RingName = "announced-ring" });
            var imported = await keys.ImportAsync(new ImportKeyRequest("imported", external.ExportSubjectPublicKeyInfo(), KeyFormat.Der));
            var rotated = await keys.RotateAsync("announced-ring");
            await keys.RevokeAsync(created.Id, RevocationReason.Superseded);
            await keys.ExpireAsync(rotated.Id);
            await keys.DeleteAsync(imported.Id);

            var expected = new[]
            {
                new KeyChange(created.TenantId, created.Id, KeyChangeKind.Created),
                new KeyChange(created.TenantId, imported.Id, KeyChangeKind.Created),
                new KeyChange(created.TenantId, rotated.Id, KeyChangeKind.Created),
                new KeyChange(created.TenantId, created.Id, KeyChangeKind.Revoked),
                new KeyChange(created.TenantId, rotated.Id, KeyChangeKind.Expired),
                new KeyChange(created.TenantId, imported.Id, KeyChangeKind.Deleted),
            };
            CollectionAssert.AreEqual(expected, recorder.Changes.ToArray());
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    [TestMethod]
    public async Task RevokeAsync_FirstNotifierThrows_ChangeCommittedAndOtherNotifiersStillCalled()
    {
        var recorder = new RecordingNotifier();
        await using var host = await StartAsync(new ThrowingNotifier(), recorder);
        try
        {
            var keys = host.Get<IKeyStore>();
            var key = await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "notifier fails"));

            var revoked = await keys.RevokeAsync(key.Id, RevocationReason.KeyCompromise);
            var read = await keys.GetAsync(key.Id);

            Assert.AreEqual(KeyStatus.Revoked, revoked.Status);
            Assert.AreEqual(KeyStatus.Revoked, read!.Status);
            Assert.AreEqual(new KeyChange(key.TenantId, key.Id, KeyChangeKind.Revoked), recorder.Changes.Last());
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    [TestMethod]
    public async Task Invalidate_ChangeMadeBehindTheEnginesBack_DropsTheCachedKeyAndAnnouncesNothing()
    {
        // The file's change detection would drop the key by itself within a second (a busy machine can take that long
        // between the revoke and the next verification): poll it rarely, so only the explicit invalidation can.
        var recorder = new RecordingNotifier();
        await using var host = await KeyInfraTestHost.StartAsync(
            options: o => o.KeyCache.TimeToLive = TimeSpan.FromHours(1),
            services: s =>
            {
                s.TryAddEnumerable(ServiceDescriptor.Singleton<IKeyChangeNotifier>(recorder));
                s.Configure<SqliteStorageOptions>(o => o.KeyChangePollInterval = SqliteStorageOptions.MaxKeyChangePollInterval);
            });
        try
        {
            var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "changed elsewhere"));
            var signature = (await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document))).Signature;
            var verifier = host.Get<IVerifier>();
            var request = new VerificationRequest(key.Id, Document, signature);
            Assert.AreEqual(VerificationStatus.Valid, (await verifier.VerifyAsync(request)).Status);
            var announcedBefore = recorder.Changes.Count;

            // Another instance revokes the key: storage changes, this process hears of it as a listener would.
            await using (var other = await KeyInfraTestHost.StartAsync(host.Folder, host.MasterKey))
            {
                await other.Get<IKeyStore>().RevokeAsync(key.Id, RevocationReason.KeyCompromise);
            }

            var whileCached = (await verifier.VerifyAsync(request)).Status;
            host.Get<IKeyCacheInvalidator>().Invalidate(key.TenantId, key.Id);
            host.Get<IKeyCacheInvalidator>().InvalidateAll();
            var afterInvalidation = (await verifier.VerifyAsync(request)).Status;

            Assert.AreEqual(VerificationStatus.Valid, whileCached);
            Assert.AreEqual(VerificationStatus.KeyRevoked, afterInvalidation);
            Assert.AreEqual(announcedBefore, recorder.Changes.Count, "The local invalidator must not announce (no echo).");
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    [TestMethod]
    public async Task Reencrypt_RewrappedKey_AnnouncedAsPrivateKeyChanged()
    {
        var folder = KeyInfraTestHost.NewFolder();
        var oldKey = KeyInfraTestHost.NewMasterKey();
        var newKey = KeyInfraTestHost.NewMasterKey();
        var recorder = new RecordingNotifier();
        try
        {
            KeyInfo key;
            await using (var first = await KeyInfraTestHost.StartAsync(folder, oldKey))
            {
                key = await first.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "rewrapped"));
            }

            await using var rotating = await KeyInfraTestHost.StartAsync(
                folder,
                newKey,
                masterKeyOptions: o => o.PreviousMasterKeys = oldKey,
                services: s => s.TryAddEnumerable(ServiceDescriptor.Singleton<IKeyChangeNotifier>(recorder)));
            await rotating.Get<Encryption.IPrivateKeyReencryptor>().ReencryptAllAsync();
            await rotating.Get<Encryption.IPrivateKeyReencryptor>().ReencryptAllAsync();

            CollectionAssert.AreEqual(new[] { new KeyChange(key.TenantId, key.Id, KeyChangeKind.PrivateKeyChanged) }, recorder.Changes.ToArray());
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(folder);
        }
    }

    private sealed class RecordingNotifier : IKeyChangeNotifier
    {
        private readonly ConcurrentQueue<KeyChange> _changes = new();

        public IReadOnlyCollection<KeyChange> Changes => _changes;

        public Task OnKeyChangedAsync(KeyChange change, CancellationToken cancellationToken = default)
        {
            _changes.Enqueue(change);
            return Task.CompletedTask;
        }
    }

    private sealed class ThrowingNotifier : IKeyChangeNotifier
    {
        public Task OnKeyChangedAsync(KeyChange change, CancellationToken cancellationToken = default)
            => throw new InvalidOperationException("The message bus is down.");
    }
}
