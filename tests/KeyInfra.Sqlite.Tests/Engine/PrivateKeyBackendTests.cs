using System.Text;
using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.PrivateKeys;
using KeyInfra.Signing;
using KeyInfra.Storage;
using KeyInfra.Verification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KeyInfra.Sqlite.Tests.Engine;

/// <summary>
/// The private-key backend seam end to end on a SQLite file, with a second real backend next to the software one:
/// creation, signing, verification, rotation and revocation go through it; unknown names are refused.
/// </summary>
[TestClass]
public sealed class PrivateKeyBackendTests
{
    private static readonly byte[] Document = "held by another backend"u8.ToArray();

    private static Task<KeyInfraTestHost> StartAsync(ProcessLocalPrivateKeyBackend backend, string? folder = null, string? masterKey = null)
        => KeyInfraTestHost.StartAsync(folder, masterKey, services: s => s.TryAddEnumerable(ServiceDescriptor.Singleton<IPrivateKeyBackend>(backend)));

    private static CreateKeyRequest OnBackend(string name, bool cacheable = true) => new(KeySpec.EcdsaP256, name)
    {
        Backend = ProcessLocalPrivateKeyBackend.BackendName,
        BackendOptions = cacheable ? null : new Dictionary<string, string> { [ProcessLocalPrivateKeyBackend.CacheableOption] = "false" },
    };

    [TestMethod]
    public async Task CreateAsync_SecondBackend_StoresItsReferenceUnderItsNameAndSignsVerifiably()
    {
        var backend = new ProcessLocalPrivateKeyBackend();
        await using var host = await StartAsync(backend);
        try
        {
            var key = await host.Get<IKeyStore>().CreateAsync(OnBackend("process-local key"));
            var signature = await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document));
            var result = await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, Document, signature.Signature));
            var stored = (await host.Get<IKeyRepository>().FindAsync(key.TenantId, key.Id))!.PrivateKey!;

            Assert.AreEqual(VerificationStatus.Valid, result.Status);
            Assert.IsTrue(key.HasPrivateKey);
            Assert.AreEqual(ProcessLocalPrivateKeyBackend.BackendName, stored.Backend);
            Assert.AreEqual(PrivateKeyProtection.None, stored.Protection);
            Assert.IsNull(stored.MasterKeyId);
            Assert.IsTrue(backend.Holds(Encoding.ASCII.GetString(stored.Material)));
            var context = backend.Generated.Single();
            Assert.AreEqual(key.Id, context.KeyId);
            Assert.AreEqual(key.TenantId, context.TenantId);
            Assert.IsNull(context.Previous);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    [TestMethod]
    public async Task RotateAsync_RingOnSecondBackend_NewVersionStaysOnItAndSigns()
    {
        var backend = new ProcessLocalPrivateKeyBackend();
        await using var host = await StartAsync(backend);
        try
        {
            var keys = host.Get<IKeyStore>();
            var first = await keys.CreateAsync(OnBackend("ring key") with { RingName = "backend-ring" });
            var firstStored = (await host.Get<IKeyRepository>().FindAsync(first.TenantId, first.Id))!.PrivateKey!;

            var rotated = await keys.RotateAsync("backend-ring");
            var signature = await host.Get<ISigner>().SignAsync(new SignRequest(rotated.Id, Document));
            var result = await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(rotated.Id, Document, signature.Signature));
            var rotatedStored = (await host.Get<IKeyRepository>().FindAsync(rotated.TenantId, rotated.Id))!.PrivateKey!;

            Assert.AreEqual(2, rotated.RingVersion);
            Assert.AreEqual(ProcessLocalPrivateKeyBackend.BackendName, rotatedStored.Backend);
            Assert.IsTrue(backend.Holds(Encoding.ASCII.GetString(rotatedStored.Material)));
            Assert.AreEqual(VerificationStatus.Valid, result.Status);
            var rotation = backend.Generated.Last();
            Assert.AreEqual(rotated.Id, rotation.KeyId);
            CollectionAssert.AreEqual(firstStored.Material, rotation.Previous!.Material);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    [TestMethod]
    public async Task RevokeAsync_KeyOnSecondBackend_SigningRefusedAndVerificationRevoked()
    {
        var backend = new ProcessLocalPrivateKeyBackend();
        await using var host = await StartAsync(backend);
        try
        {
            var key = await host.Get<IKeyStore>().CreateAsync(OnBackend("revoked on backend"));
            var signature = await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document));

            await host.Get<IKeyStore>().RevokeAsync(key.Id, RevocationReason.KeyCompromise);
            var signError = await Assert.ThrowsExactlyAsync<KeyStateException>(() => host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document)));
            var result = await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, Document, signature.Signature));

            Assert.AreEqual(ErrorCodes.KeyRevoked, signError.ErrorCode);
            Assert.AreEqual(VerificationStatus.KeyRevoked, result.Status);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    [TestMethod]
    public async Task SignAsync_HandleNotCacheable_OpenedAndDisposedForEverySignature()
    {
        var backend = new ProcessLocalPrivateKeyBackend();
        await using var host = await StartAsync(backend);
        try
        {
            var signer = host.Get<ISigner>();
            var singleUse = await host.Get<IKeyStore>().CreateAsync(OnBackend("single-use handles", cacheable: false));
            var cached = await host.Get<IKeyStore>().CreateAsync(OnBackend("cached handle"));

            for (var i = 0; i < 3; i++)
            {
                await signer.SignAsync(new SignRequest(singleUse.Id, Document));
            }

            var singleUseOpens = backend.Opens;
            var singleUseDisposals = backend.Disposals;
            for (var i = 0; i < 3; i++)
            {
                await signer.SignAsync(new SignRequest(cached.Id, Document));
            }

            Assert.AreEqual(3, singleUseOpens);
            Assert.AreEqual(3, singleUseDisposals);
            Assert.AreEqual(4, backend.Opens, "A cacheable handle is opened once and kept.");
            Assert.AreEqual(3, backend.Disposals, "The cached handle stays open.");
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    [TestMethod]
    public async Task ReencryptAllAsync_KeyOnSecondBackend_LeftAsItIsAndStillSigns()
    {
        var backend = new ProcessLocalPrivateKeyBackend();
        await using var host = await StartAsync(backend);
        try
        {
            var key = await host.Get<IKeyStore>().CreateAsync(OnBackend("not re-encrypted"));
            var before = (await host.Get<IKeyRepository>().FindAsync(key.TenantId, key.Id))!.PrivateKey!;

            var summary = await host.Get<IPrivateKeyReencryptor>().ReencryptAllAsync();
            host.Get<IKeyCacheInvalidator>().InvalidateAll();
            var after = (await host.Get<IKeyRepository>().FindAsync(key.TenantId, key.Id))!.PrivateKey!;
            var signature = await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document));

            Assert.AreEqual(0, summary.Encrypted + summary.Rewrapped);
            Assert.AreEqual(1, summary.Unchanged);
            Assert.AreEqual(before.Protection, after.Protection);
            CollectionAssert.AreEqual(before.Material, after.Material);
            Assert.AreEqual(VerificationStatus.Valid, (await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, Document, signature.Signature))).Status);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    [TestMethod]
    public async Task CreateAsync_UnknownBackend_ThrowsUnknownPrivateKeyBackendAndStoresNothing()
    {
        await using var host = await KeyInfraTestHost.StartAsync();
        try
        {
            var keys = host.Get<IKeyStore>();

            var e = await Assert.ThrowsExactlyAsync<KeyInfraException>(() => keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "nowhere") { Backend = "pkcs11" }));

            Assert.AreEqual(ErrorCodes.UnknownPrivateKeyBackend, e.ErrorCode);
            Assert.Contains("'pkcs11'", e.Message);
            Assert.Contains("'software'", e.Message);
            Assert.IsEmpty((await keys.ListAsync(new KeyQuery())).Items);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    [TestMethod]
    public async Task SignAsync_StoredBackendNotRegisteredInThisHost_ThrowsUnknownPrivateKeyBackendAndStillVerifies()
    {
        var folder = KeyInfraTestHost.NewFolder();
        var masterKey = KeyInfraTestHost.NewMasterKey();
        try
        {
            KeyInfo key;
            byte[] signature;
            await using (var withBackend = await StartAsync(new ProcessLocalPrivateKeyBackend(), folder, masterKey))
            {
                key = await withBackend.Get<IKeyStore>().CreateAsync(OnBackend("made elsewhere"));
                signature = (await withBackend.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document))).Signature;
            }

            await using var without = await KeyInfraTestHost.StartAsync(folder, masterKey);
            var e = await Assert.ThrowsExactlyAsync<KeyInfraException>(() => without.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document)));
            var result = await without.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, Document, signature));

            Assert.AreEqual(ErrorCodes.UnknownPrivateKeyBackend, e.ErrorCode);
            Assert.AreEqual(VerificationStatus.Valid, result.Status);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(folder);
        }
    }

    [TestMethod]
    public async Task CreateAsync_BackendOptionsTheBackendDoesNotKnow_ThrowsArgumentExceptionAndStoresNothing()
    {
        var backend = new ProcessLocalPrivateKeyBackend();
        await using var host = await StartAsync(backend);
        try
        {
            var keys = host.Get<IKeyStore>();
            var software = new CreateKeyRequest(KeySpec.EcdsaP256, "software with options") { BackendOptions = new Dictionary<string, string> { ["slot"] = "1" } };
            var unknownOption = OnBackend("unknown option") with { BackendOptions = new Dictionary<string, string> { ["slot"] = "1" } };

            await Assert.ThrowsAsync<ArgumentException>(() => keys.CreateAsync(software));
            await Assert.ThrowsAsync<ArgumentException>(() => keys.CreateAsync(unknownOption));

            Assert.IsEmpty((await keys.ListAsync(new KeyQuery())).Items);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    [TestMethod]
    public async Task KeyStore_TwoBackendsWithOneName_ThrowsDuplicatePrivateKeyBackend()
    {
        var services = new ServiceCollection();
        services.AddKeyInfrastructure().UseSqlite("Data Source=unused.db");
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPrivateKeyBackend>(new ProcessLocalPrivateKeyBackend()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPrivateKeyBackend, NamedSoftware>());
        await using var provider = services.BuildServiceProvider();

        var e = Assert.ThrowsExactly<KeyInfraException>(() => provider.GetRequiredService<IKeyStore>());

        Assert.AreEqual(ErrorCodes.DuplicatePrivateKeyBackend, e.ErrorCode);
    }

    [TestMethod]
    public void AddKeyInfrastructure_CalledTwice_RegistersTheSoftwareBackendOnce()
    {
        var services = new ServiceCollection();
        services.AddKeyInfrastructure();
        services.AddKeyInfrastructure();
        using var provider = services.BuildServiceProvider();

        var backends = provider.GetServices<IPrivateKeyBackend>().ToList();

        Assert.HasCount(1, backends);
        Assert.AreEqual(PrivateKeyBackendNames.Software, backends[0].Name);
    }

    // A backend that claims the software backend's name.
    private sealed class NamedSoftware : IPrivateKeyBackend
    {
        public string Name => PrivateKeyBackendNames.Software;

        public Task<GeneratedPrivateKey> GenerateAsync(KeySpec spec, PrivateKeyGenerationContext context, CancellationToken cancellationToken = default)
            => throw new NotSupportedException();

        public Task<IPrivateKeyHandle> OpenAsync(KeyRecord key, CancellationToken cancellationToken = default)
            => throw new NotSupportedException();
    }
}
