using System.Security.Cryptography;
using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.RowAuthentication;
using KeyInfra.Signing;
using KeyInfra.Storage;
using KeyInfra.Verification;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KeyInfra.Sqlite.Tests.Engine;

[TestClass]
public sealed class MasterKeyLifecycleTests
{
    private static readonly byte[] Document = "contract v1"u8.ToArray();

    [TestMethod]
    public async Task Restart_SameMasterKey_KeysSignAndOldSignaturesVerify()
    {
        var folder = KeyInfraTestHost.NewFolder();
        var masterKey = KeyInfraTestHost.NewMasterKey();
        try
        {
            KeyId id;
            byte[] signature;
            await using (var first = await KeyInfraTestHost.StartAsync(folder, masterKey))
            {
                id = (await first.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "survivor"))).Id;
                signature = (await first.Get<ISigner>().SignAsync(new SignRequest(id, Document))).Signature;
                await first.Get<IVerifier>().VerifyAsync(new VerificationRequest(id, Document, signature));
            }

            await using var second = await KeyInfraTestHost.StartAsync(folder, masterKey);
            var result = await second.Get<IVerifier>().VerifyAsync(new VerificationRequest(id, Document, signature));
            var newSignature = await second.Get<ISigner>().SignAsync(new SignRequest(id, Document));

            Assert.AreEqual(VerificationStatus.Valid, result.Status);
            Assert.AreEqual(VerificationStatus.Valid, (await second.Get<IVerifier>().VerifyAsync(new VerificationRequest(id, Document, newSignature.Signature))).Status);
            Assert.AreEqual(3, (await second.Get<IVerificationLog>().QueryAsync(new VerificationLogQuery { KeyId = id })).Items.Count);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(folder);
        }
    }

    [TestMethod]
    public async Task Start_WrongMasterKey_FailsWithMasterKeyUnavailableAndWritesNothing()
    {
        var folder = KeyInfraTestHost.NewFolder();
        try
        {
            await using (var first = await KeyInfraTestHost.StartAsync(folder))
            {
                await first.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "guarded"));
            }

            var before = Snapshot(Path.Combine(folder, "keyinfra.db"));

            var ex = await Assert.ThrowsExactlyAsync<MasterKeyException>(() => KeyInfraTestHost.StartAsync(folder, KeyInfraTestHost.NewMasterKey()));

            Assert.AreEqual(ErrorCodes.MasterKeyUnavailable, ex.ErrorCode);
            StringAssert.Contains(ex.Message, "KEYINFRA_PREVIOUS_MASTER_KEYS");
            Assert.AreEqual(before, Snapshot(Path.Combine(folder, "keyinfra.db")));
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(folder);
        }
    }

    [TestMethod]
    public async Task Start_WrongKeyUnderSameExplicitId_FailsKeyCheck()
    {
        var folder = KeyInfraTestHost.NewFolder();
        try
        {
            await using (var first = await KeyInfraTestHost.StartAsync(folder, masterKeyOptions: o => o.MasterKeyId = "production"))
            {
                await first.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "guarded"));
            }

            var ex = await Assert.ThrowsExactlyAsync<MasterKeyException>(() =>
                KeyInfraTestHost.StartAsync(folder, KeyInfraTestHost.NewMasterKey(), masterKeyOptions: o => o.MasterKeyId = "production"));

            Assert.AreEqual(ErrorCodes.MasterKeyCheckFailed, ex.ErrorCode);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(folder);
        }
    }

    [TestMethod]
    public async Task Rotation_PreviousKeyConfigured_ReencryptRewrapsThenOldKeyCanGo()
    {
        var folder = KeyInfraTestHost.NewFolder();
        var oldKey = KeyInfraTestHost.NewMasterKey();
        var newKey = KeyInfraTestHost.NewMasterKey();
        try
        {
            KeyId id;
            await using (var first = await KeyInfraTestHost.StartAsync(folder, oldKey))
            {
                id = (await first.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Rsa2048, "rotated"))).Id;
            }

            await using (var rotating = await KeyInfraTestHost.StartAsync(folder, newKey, masterKeyOptions: o => o.PreviousMasterKeys = oldKey))
            {
                // Still readable under the previous key before re-wrapping.
                await rotating.Get<ISigner>().SignAsync(new SignRequest(id, Document));
                var summary = await rotating.Get<IPrivateKeyReencryptor>().ReencryptAllAsync();
                var again = await rotating.Get<IPrivateKeyReencryptor>().ReencryptAllAsync();
                var rows = await rotating.Get<IKeyRowAuthenticator>().AuthenticateAllAsync();

                Assert.AreEqual(1, summary.Rewrapped);
                Assert.AreEqual(0, summary.Encrypted);
                Assert.AreEqual(0, again.Rewrapped);
                Assert.AreEqual(1, again.Unchanged);
                Assert.AreEqual(1, rows.Reauthenticated);
            }

            await using var after = await KeyInfraTestHost.StartAsync(folder, newKey);
            var signature = await after.Get<ISigner>().SignAsync(new SignRequest(id, Document));
            Assert.AreEqual(VerificationStatus.Valid, (await after.Get<IVerifier>().VerifyAsync(new VerificationRequest(id, Document, signature.Signature))).Status);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(folder);
        }
    }

    [TestMethod]
    public async Task LegacyPlaintextPrivateKey_RefusedUntilReencryptReadsItUnsafely_ThenSigns()
    {
        // A database an older release wrote: its master key check is v1, so rows without a MAC are still read.
        var folder = KeyInfraTestHost.NewFolder();
        var masterKey = KeyInfraTestHost.NewMasterKey();
        await using (await KeyInfraTestHost.StartAsync(folder, masterKey))
        {
        }

        await WriteV1CheckAsync(Path.Combine(folder, "keyinfra.db"), masterKey);
        await using var host = await KeyInfraTestHost.StartAsync(folder, masterKey);
        try
        {
            using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var id = KeyId.New();
            var repository = host.Get<IKeyRepository>();
            await repository.AddAsync(new KeyRecord
            {
                Id = id,
                TenantId = Guid.Empty,
                Name = "legacy",
                Spec = KeySpec.EcdsaP256,
                PublicKeyData = ecdsa.ExportSubjectPublicKeyInfo(),
                PublicKeyFormat = KeyFormat.Der,
                Status = KeyStatus.Active,
                CreatedAt = DateTimeOffset.UtcNow,
                PrivateKey = new PrivateKeyRecord(PrivateKeyProtection.None, ecdsa.ExportPkcs8PrivateKey(), null),
            });

            var refused = await Assert.ThrowsExactlyAsync<EncryptedDataException>(() => host.Get<ISigner>().SignAsync(new SignRequest(id, Document)));
            var safeRun = await host.Get<IPrivateKeyReencryptor>().ReencryptAllAsync();
            var unsafeRun = await host.Get<IPrivateKeyReencryptor>().ReencryptAllAsync(new ReencryptionOptions { UnsafeReadPlaintextPrivateKeys = true });
            host.Get<IKeyCacheInvalidator>().InvalidateAll();
            var after = await host.Get<ISigner>().SignAsync(new SignRequest(id, Document));

            Assert.AreEqual(ErrorCodes.PlaintextPrivateKeyRefused, refused.ErrorCode);
            Assert.AreEqual(0, safeRun.Encrypted);
            Assert.AreEqual(ErrorCodes.PlaintextPrivateKeyRefused, safeRun.Skipped.Single(s => s.KeyId == id).ErrorCode);
            Assert.AreEqual(1, unsafeRun.Encrypted);
            Assert.IsEmpty(unsafeRun.Skipped);
            var stored = await repository.FindAsync(Guid.Empty, id, includePrivateKey: true);
            Assert.AreEqual(PrivateKeyProtection.Envelope, stored!.PrivateKey!.Protection);
            Assert.AreEqual(0x02, stored.PrivateKey.Material[0]);
            Assert.IsNotNull(stored.PrivateKey.MasterKeyId);
            Assert.IsTrue(ecdsa.VerifyData(Document, after.Signature, HashAlgorithmName.SHA256));
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    [TestMethod]
    public async Task PrivateKeyCiphertext_MovedToAnotherKeyRow_DoesNotDecrypt()
    {
        await using var host = await KeyInfraTestHost.StartAsync();
        try
        {
            var keys = host.Get<IKeyStore>();
            var a = await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "a"));
            var b = await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "b"));
            var repository = host.Get<IKeyRepository>();
            var aPrivate = (await repository.FindAsync(Guid.Empty, a.Id))!.PrivateKey!;

            await repository.UpdatePrivateKeyAsync(Guid.Empty, b.Id, aPrivate);
            host.Get<IKeyCacheInvalidator>().InvalidateAll();

            var ex = await Assert.ThrowsExactlyAsync<EncryptedDataException>(() => host.Get<ISigner>().SignAsync(new SignRequest(b.Id, Document)));
            Assert.AreEqual(ErrorCodes.CiphertextAuthenticationFailed, ex.ErrorCode);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    [TestMethod]
    public async Task CurrentKeyChanges_ToANewKey_IsValidatedAndItsCheckStoredBeforeItWraps()
    {
        using var source = new SwitchableMasterKeySource("first", SwitchableMasterKeySource.NewKey());
        await using var host = await StartAsync(source);
        try
        {
            var keys = host.Get<IKeyStore>();
            var before = await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "before"));

            source.MakeCurrent("second", SwitchableMasterKeySource.NewKey());
            var after = await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "after"));

            var checks = (await host.Get<IMasterKeyRepository>().ListAsync()).Select(c => c.KeyId).Order(StringComparer.Ordinal).ToList();
            CollectionAssert.AreEqual(new[] { "first", "second" }, checks);
            var repository = host.Get<IKeyRepository>();
            Assert.AreEqual("first", (await repository.FindAsync(Guid.Empty, before.Id))!.PrivateKey!.MasterKeyId);
            Assert.AreEqual("second", (await repository.FindAsync(Guid.Empty, after.Id))!.PrivateKey!.MasterKeyId);
            host.Get<IKeyCacheInvalidator>().InvalidateAll();
            foreach (var id in new[] { before.Id, after.Id })
            {
                var signature = await host.Get<ISigner>().SignAsync(new SignRequest(id, Document));
                Assert.AreEqual(VerificationStatus.Valid, (await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(id, Document, signature.Signature))).Status);
            }
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    [TestMethod]
    public async Task CurrentKeyUnchanged_ManyWrites_ValidatedOncePerCurrentKey()
    {
        var collector = new LogCapture();
        using var source = new SwitchableMasterKeySource("first", SwitchableMasterKeySource.NewKey());
        await using var host = await KeyInfraTestHost.StartAsync(services: s => s
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Information).AddProvider(collector))
            .AddKeyInfrastructure().UseMasterKeySource(_ => source));
        try
        {
            var keys = host.Get<IKeyStore>();
            for (var i = 0; i < 3; i++)
            {
                await keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, $"first-{i}"));
            }

            source.MakeCurrent("second", SwitchableMasterKeySource.NewKey());
            for (var i = 0; i < 3; i++)
            {
                await keys.CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, $"second-{i}"));
            }

            var validated = collector.Entries.Where(e => e.EventId.Id == 2000).Select(e => e.Text).ToList();
            Assert.HasCount(2, validated);
            StringAssert.StartsWith(validated[0], "Master key first validated");
            StringAssert.StartsWith(validated[1], "Master key second validated");
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    [TestMethod]
    public async Task CurrentKeyChanges_ToAWrongKeyUnderAKnownId_RefusedWithKeyCheckFailedBeforeAnythingIsWritten()
    {
        var first = SwitchableMasterKeySource.NewKey();
        using var source = new SwitchableMasterKeySource("first", first);
        await using var host = await StartAsync(source);
        try
        {
            var keys = host.Get<IKeyStore>();
            await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "under-first"));
            source.MakeCurrent("second", SwitchableMasterKeySource.NewKey());
            await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "under-second"));
            var before = Snapshot(host.DatabasePath);

            source.MakeCurrent("first", SwitchableMasterKeySource.NewKey());
            var create = await Assert.ThrowsExactlyAsync<MasterKeyException>(() => keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "refused")));
            var reencrypt = await Assert.ThrowsExactlyAsync<MasterKeyException>(() => host.Get<IPrivateKeyReencryptor>().ReencryptAllAsync());

            Assert.AreEqual(ErrorCodes.MasterKeyCheckFailed, create.ErrorCode);
            Assert.AreEqual(ErrorCodes.MasterKeyCheckFailed, reencrypt.ErrorCode);
            StringAssert.Contains(create.Message, "'first'");
            StringAssert.Contains(create.Message, "Nothing was written");
            Assert.AreEqual(before, Snapshot(host.DatabasePath));

            // The right key back under that id: accepted again, without a restart.
            source.MakeCurrent("first", first);
            await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "accepted"));
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    [TestMethod]
    public async Task CurrentKeyChanges_BetweenTheStoreCheckAndTheWrap_RefusedBeforeAnythingIsWritten()
    {
        using var source = new SwitchableMasterKeySource("first", SwitchableMasterKeySource.NewKey());
        var swapping = new SwapAfterNextAcquisition(source);
        await using var host = await StartAsync(source, swapping);
        try
        {
            var keys = host.Get<IKeyStore>();
            await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "under-first"));
            var before = Snapshot(host.DatabasePath);

            // The key store checks the ring it leases first; the ring turns wrong before the encryptor leases its own.
            swapping.AfterNextAcquisition = () => source.MakeCurrent("first", SwitchableMasterKeySource.NewKey());
            var e = await Assert.ThrowsExactlyAsync<MasterKeyException>(() => keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "refused")));

            Assert.AreEqual(ErrorCodes.MasterKeyCheckFailed, e.ErrorCode);
            Assert.IsNull(swapping.AfterNextAcquisition);
            Assert.AreEqual(before, Snapshot(host.DatabasePath));
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(host.Folder);
        }
    }

    /// <summary>A host whose master key source is <paramref name="source"/> (or <paramref name="provider"/> in front of it); the container disposes it with the host.</summary>
    private static Task<KeyInfraTestHost> StartAsync(SwitchableMasterKeySource source, IEncryptionKeyProvider? provider = null)
        => KeyInfraTestHost.StartAsync(services: s => s.AddKeyInfrastructure().UseMasterKeySource(_ => provider ?? source));

    private static string Snapshot(string databasePath)
    {
        SqliteConnection.ClearAllPools();
        using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT group_concat(id || ':' || hex(check_value)) FROM master_keys) || '|' || (SELECT group_concat(key_id || ':' || hex(key_material)) FROM private_keys) || '|' || (SELECT count(*) FROM public_keys)";
        return (string)command.ExecuteScalar()!;
    }

    /// <summary>Runs the armed action once, right after the next lease is acquired (before the caller uses it).</summary>
    private sealed class SwapAfterNextAcquisition(IEncryptionKeyProvider inner) : IEncryptionKeyProvider
    {
        private Action? _afterNext;

        public Action? AfterNextAcquisition
        {
            get => Volatile.Read(ref _afterNext);
            set => Volatile.Write(ref _afterNext, value);
        }

        public async ValueTask<MasterKeyRingLease> AcquireRingAsync(CancellationToken cancellationToken = default)
        {
            var lease = await inner.AcquireRingAsync(cancellationToken);
            Interlocked.Exchange(ref _afterNext, null)?.Invoke();
            return lease;
        }
    }

    // What a release before row authentication stored: the v1 check value, HMAC under the master key itself.
    private static async Task WriteV1CheckAsync(string databasePath, string masterKey)
    {
        using var key = new MasterKey(Convert.FromBase64String(masterKey));
        await using var connection = new SqliteConnection($"Data Source={databasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE master_keys SET check_value = $value";
        command.Parameters.AddWithValue("$value", key.ComputeCheckValue());
        Assert.AreEqual(1, await command.ExecuteNonQueryAsync());
        SqliteConnection.ClearAllPools();
    }
}
