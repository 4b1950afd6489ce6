using System.Security.Cryptography;
using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.RowAuthentication;
using KeyInfra.Signing;
using KeyInfra.Storage;
using KeyInfra.Tenancy;
using KeyInfra.Verification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KeyInfra.Tests.Conformance;

/// <summary>
/// A database writer without the master key attacks the key rows with raw SQL (the fixture's privileged writer), and
/// KeyInfra refuses: every field verification decides on is under the row's MAC, a row without a MAC is refused once
/// the database is strict, and the strict state cannot be switched off from the database. Also the data side of
/// revocation: lifecycle updates are compare-and-set, revocation is one-way, races keep the first revocation.
/// </summary>
/// <remarks>
/// Each test starts its own hosts (a fresh host has empty caches: it reads what the attacker wrote). Tests that change
/// the master key checks or need a migrating database take a database of their own.
/// </remarks>
public abstract class KeyRowTamperingConformanceTests
{
    private const int KeyRowRefusedEvent = 2120;
    private const int KeyRowUnauthenticatedEvent = 2121;
    private static readonly byte[] Document = "pay 1,000,000 to the attacker"u8.ToArray();
    private static readonly string s_masterKey = TestHost.NewMasterKey();

    /// <summary>The provider's database, shared by the tests of the class.</summary>
    protected abstract ConformanceStorage Storage { get; }

    [TestMethod]
    public async Task Unrevoke_CompromisedKeyWithOneUpdate_ForgedSignaturesStillRefused()
    {
        // The attacker holds the compromised private key: every signature it makes is "forged".
        var (id, forged) = await CreateSignedKeyAsync(Storage);
        await using (var admin = await TestHost.StartAsync(Storage, s_masterKey))
        {
            await admin.Get<IKeyStore>().RevokeAsync(id, RevocationReason.KeyCompromise);
        }

        var changed = await Storage.ExecuteAsync("UPDATE public_keys SET status = 'active', revoked_at = NULL, revocation_reason = NULL WHERE id = $1", id);

        var logs = new LogCapture();
        await using var host = await TestHost.StartAsync(Storage, s_masterKey, logging: l => l.AddProvider(logs));
        var result = await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(id, Document, forged));
        var sign = await Assert.ThrowsExactlyAsync<KeyTamperedException>(() => host.Get<ISigner>().SignAsync(new SignRequest(id, Document)));
        var get = await Assert.ThrowsExactlyAsync<KeyTamperedException>(() => host.Get<IKeyStore>().GetAsync(id));
        await host.Get<IVerificationLog>().FlushAsync();
        var logged = (await host.Get<IVerificationLog>().QueryAsync(new VerificationLogQuery { KeyId = id, Status = VerificationStatus.KeyTampered })).Items;

        Assert.AreEqual(1, changed);
        Assert.AreEqual(VerificationStatus.KeyTampered, result.Status);
        Assert.IsTrue(logged.Any(r => r.Id == result.RecordId), "The refusal is recorded as KeyTampered.");
        Assert.AreEqual(ErrorCodes.KeyRowAuthenticationFailed, sign.ErrorCode);
        Assert.AreEqual(id, get.KeyId);
        Assert.IsTrue(logs.Entries.Any(e => e.EventId.Id == KeyRowRefusedEvent && e.Level == LogLevel.Error && e.Text.Contains(id.ToString(), StringComparison.Ordinal)));
    }

    [TestMethod]
    [DataRow("key_data = (SELECT d.key_data FROM public_keys d WHERE d.id = $2)", DisplayName = "public key swapped for the attacker's")]
    [DataRow("curve_id = (SELECT c.id FROM curves c WHERE c.name = 'secp256k1')", DisplayName = "curve")]
    [DataRow("algorithm_id = 3, curve_id = (SELECT c.id FROM curves c WHERE c.name = 'ed25519')", DisplayName = "algorithm")]
    [DataRow("expires_at = NULL", DisplayName = "expiry removed")]
    [DataRow("status = 'expired'", DisplayName = "status")]
    [DataRow("ring_name = 'payments', ring_version = 99", DisplayName = "ring")]
    [DataRow("version = version + 1", DisplayName = "row version")]
    [DataRow("name = 'renamed', owner = 'attacker'", DisplayName = "name and owner")]
    [DataRow("metadata = '{\"approved\":\"yes\"}'", DisplayName = "metadata")]
    [DataRow("default_signature_encoding = 'der'", DisplayName = "signature encoding")]
    [DataRow("row_mac = (SELECT d.row_mac FROM public_keys d WHERE d.id = $2)", DisplayName = "another row's MAC copied")]
    [DataRow("row_mac = NULL, row_mac_master_key_id = NULL", DisplayName = "MAC deleted on a strict database")]
    public async Task ChangeField_ByWriterWithoutMasterKey_RowRefused(string assignment)
    {
        var (id, signature) = await CreateSignedKeyAsync(Storage, expiresAt: DateTimeOffset.UtcNow.AddDays(30));
        var (donor, _) = await CreateSignedKeyAsync(Storage);

        var changed = await Storage.ExecuteAsync($"UPDATE public_keys SET {assignment} WHERE id = $1", id, donor);

        await using var host = await TestHost.StartAsync(Storage, s_masterKey);
        var result = await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(id, Document, signature));
        var donorResult = await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(donor, Document, signature));
        Assert.AreEqual(1, changed);
        Assert.AreEqual(VerificationStatus.KeyTampered, result.Status);
        await Assert.ThrowsExactlyAsync<KeyTamperedException>(() => host.Get<ISigner>().SignAsync(new SignRequest(id, Document)));
        Assert.AreNotEqual(VerificationStatus.KeyTampered, donorResult.Status, "The untouched row still verifies.");
    }

    [TestMethod]
    public async Task ChangeMacMasterKeyId_ByWriterWithoutMasterKey_HostRefusesToStart()
    {
        // A MAC by a master key the source does not provide cannot be checked: the host says which key is missing
        // (as for private keys wrapped by it) instead of starting with keys it cannot authenticate.
        await using var database = await Storage.CreateAnotherAsync();
        var (id, _) = await CreateSignedKeyAsync(database);

        await database.ExecuteAsync("UPDATE public_keys SET row_mac_master_key_id = 'some-other-key' WHERE id = $1", id);

        var ex = await Assert.ThrowsExactlyAsync<MasterKeyException>(() => TestHost.StartAsync(database, s_masterKey));
        Assert.AreEqual(ErrorCodes.MasterKeyUnavailable, ex.ErrorCode);
        StringAssert.Contains(ex.Message, "some-other-key");
    }

    [TestMethod]
    public async Task PrivateKeyAddedToVerifyOnlyKey_ByWriterWithoutMasterKey_RowRefused()
    {
        using var outside = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        KeyInfo imported;
        KeyId donor;
        await using (var admin = await TestHost.StartAsync(Storage, s_masterKey))
        {
            imported = await admin.Get<IKeyStore>().ImportAsync(new ImportKeyRequest("verify only", outside.ExportSubjectPublicKeyInfo(), KeyFormat.Der));
            donor = (await admin.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "donor"))).Id;
        }

        // The attacker gives the imported key a private key row (copied from another key) so the signer would use it.
        var added = await Storage.ExecuteAsync(
            "INSERT INTO private_keys (key_id, tenant_id, backend, protection, key_material, master_key_id, created_at, updated_at) " +
            "SELECT $1, tenant_id, backend, protection, key_material, master_key_id, created_at, updated_at FROM private_keys WHERE key_id = $2",
            imported.Id, donor);

        await using var host = await TestHost.StartAsync(Storage, s_masterKey);
        Assert.AreEqual(1, added);
        await Assert.ThrowsExactlyAsync<KeyTamperedException>(() => host.Get<ISigner>().SignAsync(new SignRequest(imported.Id, Document)));
        await Assert.ThrowsExactlyAsync<KeyTamperedException>(() => host.Get<IKeyStore>().GetAsync(imported.Id));
    }

    [TestMethod]
    public async Task MoveToAnotherTenant_ByWriterWithoutMasterKey_RowRefused()
    {
        var otherTenant = Guid.NewGuid();
        var (id, signature) = await CreateSignedKeyAsync(Storage, tenantId: otherTenant);

        // Another tenant's key, moved into the default tenant, where the attacker wants its signatures accepted. The
        // composite foreign key (private_keys (tenant_id, key_id) -> public_keys (tenant_id, id)) refuses the move of
        // a key with a private key; the verification-only row beside it moves, and its MAC, bound to the tenant, refuses it.
        await Assert.ThrowsAsync<System.Data.Common.DbException>(() => Storage.ExecuteAsync("UPDATE private_keys SET tenant_id = $2 WHERE key_id = $1", id, Guid.Empty));
        await Storage.ExecuteAsync("DELETE FROM private_keys WHERE key_id = $1", id);
        var moved = await Storage.ExecuteAsync("UPDATE public_keys SET tenant_id = $2 WHERE id = $1", id, Guid.Empty);

        await using var host = await TestHost.StartAsync(Storage, s_masterKey);
        var result = await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(id, Document, signature));
        Assert.AreEqual(1, moved);
        Assert.AreEqual(VerificationStatus.KeyTampered, result.Status);
    }

    [TestMethod]
    public async Task ListAndFind_TamperedRowAmongGoodOnes_ThrowRatherThanReturnPart()
    {
        await using var database = await Storage.CreateAnotherAsync();
        var (id, _) = await CreateSignedKeyAsync(database);
        await CreateSignedKeyAsync(database);
        await database.ExecuteAsync("UPDATE public_keys SET owner = 'attacker' WHERE id = $1", id);

        await using var host = await TestHost.StartAsync(database, s_masterKey);
        var keys = host.Get<IKeyStore>();
        var stored = (await database.Keys.FindAsync(Guid.Empty, id, includePrivateKey: false))!;

        await Assert.ThrowsExactlyAsync<KeyTamperedException>(() => keys.ListAsync(new KeyQuery()));
        await Assert.ThrowsExactlyAsync<KeyTamperedException>(() => keys.FindByPublicKeyAsync(PublicKeyLookup.BySpkiSha256(stored.SpkiSha256!)));
        await Assert.ThrowsExactlyAsync<KeyTamperedException>(() => keys.RevokeAsync(id, RevocationReason.KeyCompromise));
    }

    [TestMethod]
    public async Task DeleteAllChecks_StrictDatabase_StaysStrict()
    {
        await using var database = await Storage.CreateAnotherAsync();
        var (id, signature) = await CreateSignedKeyAsync(database);

        await database.ExecuteAsync("DELETE FROM master_keys");
        await database.ExecuteAsync("UPDATE public_keys SET row_mac = NULL, row_mac_master_key_id = NULL WHERE id = $1", id);

        await using var host = await TestHost.StartAsync(database, s_masterKey);
        var result = await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(id, Document, signature));
        var check = (await database.MasterKeys.ListAsync()).Single();
        Assert.AreEqual(VerificationStatus.KeyTampered, result.Status);
        Assert.AreEqual(34, check.CheckValue.Length);
        Assert.AreEqual(1, check.CheckValue[1] & 1, "A database without checks is strict from its first new check.");
    }

    [TestMethod]
    public async Task WriteV1Check_WithoutMasterKey_HostRefusesToStart()
    {
        await using var database = await Storage.CreateAnotherAsync();
        await CreateSignedKeyAsync(database);

        // What an older release stored looks like 32 bytes; without the master key the attacker can only guess them.
        await database.ExecuteAsync("UPDATE master_keys SET check_value = $1", RandomNumberGenerator.GetBytes(32));

        var ex = await Assert.ThrowsExactlyAsync<MasterKeyException>(() => TestHost.StartAsync(database, s_masterKey));
        Assert.AreEqual(ErrorCodes.MasterKeyCheckFailed, ex.ErrorCode);
    }

    [TestMethod]
    public async Task CopyAnotherKeysCheck_WithoutMasterKey_HostRefusesToStart()
    {
        await using var database = await Storage.CreateAnotherAsync();
        var oldKey = TestHost.NewMasterKey();
        var newKey = TestHost.NewMasterKey();
        await CreateSignedKeyAsync(database, masterKey: oldKey);
        await using (await TestHost.StartAsync(database, newKey, masterKeyOptions: o => o.PreviousMasterKeys = oldKey))
        {
        }

        var checks = await database.MasterKeys.ListAsync();
        var copied = await database.ExecuteAsync("UPDATE master_keys SET check_value = $1 WHERE id = $2", checks[0].CheckValue, checks[1].KeyId);

        var ex = await Assert.ThrowsExactlyAsync<MasterKeyException>(() => TestHost.StartAsync(database, newKey, masterKeyOptions: o => o.PreviousMasterKeys = oldKey));
        Assert.AreEqual(1, copied);
        Assert.AreEqual(ErrorCodes.MasterKeyCheckFailed, ex.ErrorCode);
    }

    [TestMethod]
    public async Task MigratingDatabase_LegacyRowReadWithWarning_AfterAuthenticateRemovedMacIsRefused()
    {
        await using var database = await Storage.CreateAnotherAsync();
        var (id, signature) = await CreateSignedKeyAsync(database);

        await database.AsAnOlderReleaseLeftItAsync(s_masterKey);

        var logs = new LogCapture();
        KeyRowAuthenticationSummary summary, again;
        VerificationStatus legacy;
        await using (var host = await TestHost.StartAsync(database, s_masterKey, logging: l => l.AddProvider(logs)))
        {
            legacy = (await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(id, Document, signature))).Status;
            summary = await host.Get<IKeyRowAuthenticator>().AuthenticateAllAsync();
            again = await host.Get<IKeyRowAuthenticator>().AuthenticateAllAsync();
        }

        await database.ExecuteAsync("UPDATE public_keys SET row_mac = NULL, row_mac_master_key_id = NULL WHERE id = $1", id);
        await using var strict = await TestHost.StartAsync(database, s_masterKey);
        var afterwards = (await strict.Get<IVerifier>().VerifyAsync(new VerificationRequest(id, Document, signature))).Status;

        Assert.AreEqual(VerificationStatus.Valid, legacy);
        Assert.IsTrue(logs.Entries.Any(e => e.EventId.Id == KeyRowUnauthenticatedEvent && e.Level == LogLevel.Warning && e.Text.Contains(id.ToString(), StringComparison.Ordinal)));
        Assert.AreEqual(1L, summary.Authenticated);
        Assert.AreEqual(0L, summary.Refused);
        Assert.IsTrue(summary.Strict);
        Assert.AreEqual(0L, again.Authenticated);
        Assert.AreEqual(1L, again.Unchanged);
        Assert.AreEqual(VerificationStatus.KeyTampered, afterwards);
    }

    [TestMethod]
    public async Task MigratingDatabase_TamperedRow_NotAuthenticatedAndStaysMigrating()
    {
        await using var database = await Storage.CreateAnotherAsync();
        var (good, _) = await CreateSignedKeyAsync(database);
        var (bad, _) = await CreateSignedKeyAsync(database);
        // A legacy row, and a row whose MAC is there but no longer fits (changed after it was authenticated).
        await database.AsAnOlderReleaseLeftItAsync(s_masterKey, "id = $1", good);
        await database.ExecuteAsync("UPDATE public_keys SET owner = 'attacker' WHERE id = $1", bad);

        await using var host = await TestHost.StartAsync(database, s_masterKey);
        var summary = await host.Get<IKeyRowAuthenticator>().AuthenticateAllAsync();

        Assert.AreEqual(1L, summary.Authenticated);
        Assert.AreEqual(1L, summary.Refused);
        CollectionAssert.AreEqual(new[] { bad }, summary.RefusedKeyIds.ToArray());
        Assert.IsFalse(summary.Strict);
        await Assert.ThrowsExactlyAsync<KeyTamperedException>(() => host.Get<IKeyStore>().GetAsync(bad));
    }

    [TestMethod]
    public async Task Rotation_AuthenticatePass_MovesEveryRowToTheNewKeyWhichThenStandsAlone()
    {
        await using var database = await Storage.CreateAnotherAsync();
        var oldKey = TestHost.NewMasterKey();
        var newKey = TestHost.NewMasterKey();
        var (id, signature) = await CreateSignedKeyAsync(database, masterKey: oldKey);

        KeyRowAuthenticationSummary summary;
        await using (var rotating = await TestHost.StartAsync(database, newKey, masterKeyOptions: o => o.PreviousMasterKeys = oldKey))
        {
            await rotating.Get<IPrivateKeyReencryptor>().ReencryptAllAsync();
            summary = await rotating.Get<IKeyRowAuthenticator>().AuthenticateAllAsync();
        }

        await using var only = await TestHost.StartAsync(database, newKey);
        var result = await only.Get<IVerifier>().VerifyAsync(new VerificationRequest(id, Document, signature));
        Assert.AreEqual(1L, summary.Reauthenticated);
        Assert.IsTrue(summary.Strict);
        Assert.AreEqual(VerificationStatus.Valid, result.Status);
    }

    [TestMethod]
    public async Task UpdateLifecycleAsync_RevokedRow_NeverChangesAgain()
    {
        var (id, signature) = await CreateSignedKeyAsync(Storage);
        await using var host = await TestHost.StartAsync(Storage, s_masterKey);
        var revoked = await host.Get<IKeyStore>().RevokeAsync(id, RevocationReason.KeyCompromise);
        var stored = (await Storage.Keys.FindAsync(Guid.Empty, id, includePrivateKey: false))!;

        // Even a caller of the repository with the right version cannot bring the key back.
        var reactivated = await Storage.Keys.UpdateLifecycleAsync(stored with { Status = KeyStatus.Active, RevokedAt = null, RevocationReason = null, Version = stored.Version + 1 });
        var expired = await host.Get<IKeyStore>().ExpireAsync(id);
        var again = await host.Get<IKeyStore>().RevokeAsync(id, RevocationReason.Superseded);
        var after = (await Storage.Keys.FindAsync(Guid.Empty, id, includePrivateKey: false))!;

        Assert.IsFalse(reactivated);
        Assert.AreEqual(KeyStatus.Revoked, after.Status);
        Assert.AreEqual(stored.Version, after.Version);
        Assert.AreEqual(KeyStatus.Revoked, expired.Status);
        Assert.AreEqual(revoked.RevokedAt, again.RevokedAt);
        Assert.AreEqual(RevocationReason.KeyCompromise, again.RevocationReason);
        Assert.AreEqual(VerificationStatus.KeyRevoked, (await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(id, Document, signature))).Status);
    }

    [TestMethod]
    public async Task UpdateLifecycleAsync_StaleVersion_ChangesNothing()
    {
        var (id, _) = await CreateSignedKeyAsync(Storage);
        var stored = (await Storage.Keys.FindAsync(Guid.Empty, id, includePrivateKey: false))!;

        var first = await Storage.Keys.UpdateLifecycleAsync(stored with { Status = KeyStatus.Expired, ExpiresAt = stored.CreatedAt, Version = stored.Version + 1 });
        var stale = await Storage.Keys.UpdateLifecycleAsync(stored with { Status = KeyStatus.Revoked, RevokedAt = stored.CreatedAt, RevocationReason = RevocationReason.Unspecified, Version = stored.Version + 1 });
        var after = (await Storage.Keys.FindAsync(Guid.Empty, id, includePrivateKey: false))!;

        Assert.IsTrue(first);
        Assert.IsFalse(stale);
        Assert.AreEqual(KeyStatus.Expired, after.Status);
        Assert.AreEqual(stored.Version + 1, after.Version);
    }

    [TestMethod]
    public async Task RevokeAsync_TwoConcurrentRevokes_BothToldTheFirstRevocation()
    {
        GatedKeyRepository? gated = null;
        await using var host = await TestHost.StartAsync(Storage, s_masterKey, services: s => GatedKeyRepository.Register(s, r => gated = r));
        var keys = host.Get<IKeyStore>();
        var key = await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "revoked twice"));

        // Both read the active row, then both update it at once: one wins, the other re-reads.
        gated!.HoldNextLifecycleUpdates(2);
        var results = await Task.WhenAll(
            keys.RevokeAsync(key.Id, RevocationReason.KeyCompromise),
            keys.RevokeAsync(key.Id, RevocationReason.Superseded));
        var stored = (await keys.GetAsync(key.Id))!;

        Assert.AreEqual(1, gated.UpdatesRefused);
        Assert.AreEqual(results[0].RevokedAt, results[1].RevokedAt);
        Assert.AreEqual(results[0].RevocationReason, results[1].RevocationReason);
        Assert.AreEqual(stored.RevokedAt, results[0].RevokedAt);
        Assert.AreEqual(stored.RevocationReason, results[0].RevocationReason);
        Assert.AreEqual(2L, stored.Version);
    }

    [TestMethod]
    public async Task RevokeAndExpire_AtTheSameTime_RevocationNeverLost()
    {
        GatedKeyRepository? gated = null;
        await using var host = await TestHost.StartAsync(Storage, s_masterKey, services: s => GatedKeyRepository.Register(s, r => gated = r));
        var keys = host.Get<IKeyStore>();
        var key = await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "revoked while expiring"));

        gated!.HoldNextLifecycleUpdates(2);
        var results = await Task.WhenAll(
            keys.ExpireAsync(key.Id),
            keys.RevokeAsync(key.Id, RevocationReason.KeyCompromise));
        var stored = (await keys.GetAsync(key.Id))!;

        Assert.AreEqual(1, gated.UpdatesRefused);
        Assert.AreEqual(KeyStatus.Revoked, stored.Status);
        Assert.AreEqual(RevocationReason.KeyCompromise, stored.RevocationReason);
        Assert.AreEqual(KeyStatus.Revoked, results[1].Status);
        Assert.AreEqual(stored.RevokedAt, results[1].RevokedAt);
    }

    // A key created (and used to sign) by a host of this release: its row carries a MAC.
    private static async Task<(KeyId Id, byte[] Signature)> CreateSignedKeyAsync(
        ConformanceStorage storage, string? masterKey = null, DateTimeOffset? expiresAt = null, Guid? tenantId = null)
    {
        await using var host = await TestHost.StartAsync(
            storage,
            masterKey ?? s_masterKey,
            services: tenantId is { } tenant ? s => s.AddSingleton<ITenantContext>(new FixedTenant(tenant)) : null);
        var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "attacked") { ExpiresAt = expiresAt });
        var signature = await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document));
        return (key.Id, signature.Signature);
    }

    private sealed class FixedTenant(Guid tenantId) : ITenantContext
    {
        public Guid TenantId => tenantId;
    }
}
