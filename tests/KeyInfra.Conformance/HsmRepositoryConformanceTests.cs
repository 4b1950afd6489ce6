using System.Security.Cryptography;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Storage;
using Microsoft.EntityFrameworkCore;

namespace KeyInfra.Tests.Conformance;

/// <summary>
/// The contract of <see cref="IHsmRepository"/> that every storage provider keeps, and the HSM slot reference of
/// <c>private_keys</c>, run by each provider's test project against its real database. Modules are global, so tests
/// that list or count them use a database of their own; slot tests use tenants of their own.
/// </summary>
public abstract class HsmRepositoryConformanceTests
{
    /// <summary>The provider's database, shared by the tests of the class.</summary>
    protected abstract ConformanceStorage Storage { get; }

    private IHsmRepository Hsm => Storage.Hsm;

    // ---- modules ---------------------------------------------------------------------------------------------

    [TestMethod]
    public async Task AddModuleAsync_ThenGetAndFind_RoundTripsEveryField()
    {
        var module = Module(createdAt: new DateTimeOffset(2026, 3, 1, 12, 0, 0, 123, TimeSpan.FromHours(2)).AddTicks(4567));

        await Hsm.AddModuleAsync(module);
        var byId = await Hsm.GetModuleAsync(module.Id);
        var byName = await Hsm.FindModuleAsync(module.Name);

        var expected = module with { CreatedAt = Storage.AsStored(module.CreatedAt.ToUniversalTime()) };
        Assert.AreEqual(expected, byId);
        Assert.AreEqual(expected, byName);
        Assert.AreEqual(TimeSpan.Zero, byId!.CreatedAt.Offset);
    }

    [TestMethod]
    public async Task ListModulesAsync_SeveralModules_ListsEachOnceInIdOrder()
    {
        await using var database = await Storage.CreateAnotherAsync();
        var ids = TestData.OrderedKeyIds(3).Select(k => k.Value).ToArray();
        await database.Hsm.AddModuleAsync(Module(id: ids[2], name: "third"));
        await database.Hsm.AddModuleAsync(Module(id: ids[0], name: "first"));
        await database.Hsm.AddModuleAsync(Module(id: ids[1], name: "second"));

        var modules = await database.Hsm.ListModulesAsync();

        CollectionAssert.AreEqual(ids, modules.Select(m => m.Id).ToArray());
        CollectionAssert.AreEqual(new[] { "first", "second", "third" }, modules.Select(m => m.Name).ToArray());
    }

    [TestMethod]
    public async Task GetAndFindModule_Unknown_ReturnNull()
    {
        Assert.IsNull(await Hsm.GetModuleAsync(Guid.CreateVersion7()));
        Assert.IsNull(await Hsm.FindModuleAsync("no such module " + Guid.NewGuid()));
    }

    [TestMethod]
    public async Task FindModuleAsync_OtherCase_ReturnsNull()
    {
        var module = Module(name: "SoftHSM " + Guid.NewGuid());
        await Hsm.AddModuleAsync(module);

        Assert.IsNull(await Hsm.FindModuleAsync(module.Name.ToLowerInvariant()));
    }

    [TestMethod]
    public async Task AddModuleAsync_DuplicateName_ThrowsKI4201AndAddsNothing()
    {
        var module = Module();
        await Hsm.AddModuleAsync(module);

        var error = await Assert.ThrowsExactlyAsync<KeyInfraException>(() => Hsm.AddModuleAsync(Module(name: module.Name, libraryPath: "/tmp/evil.so")));

        Assert.AreEqual(ErrorCodes.HsmModuleNameTaken, error.ErrorCode);
        StringAssert.StartsWith(error.Message, "KI4201");
        Assert.AreEqual(module.LibraryPath, (await Hsm.FindModuleAsync(module.Name))!.LibraryPath);
        Assert.AreEqual(1L, await Storage.ScalarAsync<long>("SELECT COUNT(*) FROM hsm_modules WHERE name = $1", module.Name));
    }

    [TestMethod]
    public async Task AddModuleAsync_DuplicateId_ThrowsTheProviderUpdateException()
    {
        var module = Module();
        await Hsm.AddModuleAsync(module);

        await Assert.ThrowsExactlyAsync<DbUpdateException>(() => Hsm.AddModuleAsync(module with { Name = "other " + Guid.NewGuid() }));
    }

    [TestMethod]
    [DataRow("", "/usr/lib/softhsm/libsofthsm2.so")]
    [DataRow("   ", "/usr/lib/softhsm/libsofthsm2.so")]
    [DataRow("softhsm", "")]
    public async Task AddModuleAsync_BlankNameOrPath_ThrowsArgumentExceptionAndAddsNothing(string name, string path)
    {
        var module = Module(name: name, libraryPath: path);

        await Assert.ThrowsAsync<ArgumentException>(() => Hsm.AddModuleAsync(module));

        Assert.IsNull(await Hsm.GetModuleAsync(module.Id));
    }

    [TestMethod]
    public async Task AddModuleAsync_TooLongPath_ThrowsArgumentException()
    {
        var module = Module(libraryPath: "/" + new string('a', 4096));

        await Assert.ThrowsAsync<ArgumentException>(() => Hsm.AddModuleAsync(module));

        Assert.IsNull(await Hsm.GetModuleAsync(module.Id));
    }

    [TestMethod]
    public async Task RemoveModuleAsync_Unused_RemovesIt()
    {
        var module = Module();
        await Hsm.AddModuleAsync(module);

        Assert.IsTrue(await Hsm.RemoveModuleAsync(module.Id));

        Assert.IsNull(await Hsm.GetModuleAsync(module.Id));
        Assert.IsFalse(await Hsm.RemoveModuleAsync(module.Id));
    }

    [TestMethod]
    public async Task RemoveModuleAsync_NamedBySlotOfSomeTenant_ThrowsKI4202AndKeepsBoth()
    {
        // The slot's tenant is none the application is set to: on PostgreSQL row-level security hides the slot from it.
        var module = Module();
        await Hsm.AddModuleAsync(module);
        var slot = Slot(Guid.NewGuid(), module.Id);
        await Hsm.AddSlotAsync(slot);

        var error = await Assert.ThrowsExactlyAsync<KeyInfraException>(() => Hsm.RemoveModuleAsync(module.Id));

        Assert.AreEqual(ErrorCodes.HsmModuleInUse, error.ErrorCode);
        Assert.IsNotNull(await Hsm.GetModuleAsync(module.Id));
        Assert.IsNotNull(await Hsm.GetSlotAsync(slot.TenantId, slot.Id));
    }

    [TestMethod]
    public async Task RemoveModuleAsync_AfterItsSlotIsRemoved_RemovesIt()
    {
        var module = Module();
        await Hsm.AddModuleAsync(module);
        var slot = Slot(Guid.NewGuid(), module.Id);
        await Hsm.AddSlotAsync(slot);

        Assert.IsTrue(await Hsm.RemoveSlotAsync(slot.TenantId, slot.Id));
        Assert.IsTrue(await Hsm.RemoveModuleAsync(module.Id));

        Assert.IsNull(await Hsm.GetModuleAsync(module.Id));
    }

    [TestMethod]
    public async Task DeleteModuleRow_NamedBySlot_IsRefusedByTheDatabase()
    {
        // A writer past KeyInfra (and past row-level security) still cannot orphan a slot: ON DELETE RESTRICT.
        var module = Module();
        await Hsm.AddModuleAsync(module);
        var slot = Slot(Guid.NewGuid(), module.Id);
        await Hsm.AddSlotAsync(slot);

        await Assert.ThrowsAsync<Exception>(() => Storage.TamperAsync("DELETE FROM hsm_modules WHERE id = $1", module.Id));

        Assert.IsNotNull(await Hsm.GetModuleAsync(module.Id));
    }

    // ---- slots -----------------------------------------------------------------------------------------------

    [TestMethod]
    [DataRow("token-label", null)]
    [DataRow(null, "0123456789abcdef")]
    public async Task AddSlotAsync_ThenGetFindAndList_RoundTripsEveryField(string? label, string? serial)
    {
        var module = await AddModuleAsync();
        var tenant = Guid.NewGuid();
        var slot = Slot(tenant, module.Id, label: label, serial: serial) with
        {
            CreatedAt = new DateTimeOffset(2026, 3, 1, 12, 0, 0, 123, TimeSpan.FromHours(-5)).AddTicks(4567),
        };

        await Hsm.AddSlotAsync(slot);
        var byId = await Hsm.GetSlotAsync(tenant, slot.Id);
        var byName = await Hsm.FindSlotAsync(tenant, slot.Name);
        var listed = await Hsm.ListSlotsAsync(tenant);

        var expected = slot with { CreatedAt = Storage.AsStored(slot.CreatedAt.ToUniversalTime()) };
        foreach (var found in new[] { byId, byName, listed.Single() })
        {
            AssertSameSlot(expected, found!);
        }
    }

    [TestMethod]
    public async Task ListSlotsAsync_SeveralSlots_ListsTheTenantsInIdOrder()
    {
        var module = await AddModuleAsync();
        var tenant = Guid.NewGuid();
        var ids = TestData.OrderedKeyIds(3).Select(k => k.Value).ToArray();
        await Hsm.AddSlotAsync(Slot(tenant, module.Id, id: ids[1], name: "b"));
        await Hsm.AddSlotAsync(Slot(tenant, module.Id, id: ids[2], name: "c"));
        await Hsm.AddSlotAsync(Slot(tenant, module.Id, id: ids[0], name: "a"));
        await Hsm.AddSlotAsync(Slot(Guid.NewGuid(), module.Id, name: "a"));

        var slots = await Hsm.ListSlotsAsync(tenant);

        CollectionAssert.AreEqual(ids, slots.Select(s => s.Id).ToArray());
        Assert.IsTrue(slots.All(s => s.TenantId == tenant));
    }

    [TestMethod]
    public async Task SlotOfTenantA_SeenByTenantB_IsNotFoundListedChangedOrRemoved()
    {
        var module = await AddModuleAsync();
        var tenantA = Guid.NewGuid();
        var tenantB = Guid.NewGuid();
        var slot = Slot(tenantA, module.Id);
        await Hsm.AddSlotAsync(slot);

        Assert.IsNull(await Hsm.GetSlotAsync(tenantB, slot.Id));
        Assert.IsNull(await Hsm.FindSlotAsync(tenantB, slot.Name));
        Assert.IsEmpty(await Hsm.ListSlotsAsync(tenantB));
        Assert.IsFalse(await Hsm.ReplacePinAsync(tenantB, slot.Id, slot.EncryptedPin, [9, 9, 9], "mk-b"));
        Assert.IsFalse(await Hsm.RemoveSlotAsync(tenantB, slot.Id));

        AssertSameSlot(slot with { CreatedAt = Storage.AsStored(slot.CreatedAt) }, (await Hsm.GetSlotAsync(tenantA, slot.Id))!);
    }

    [TestMethod]
    public async Task GetAndFindSlot_Unknown_ReturnNull()
    {
        var tenant = Guid.NewGuid();

        Assert.IsNull(await Hsm.GetSlotAsync(tenant, Guid.CreateVersion7()));
        Assert.IsNull(await Hsm.FindSlotAsync(tenant, "no such slot"));
        Assert.IsEmpty(await Hsm.ListSlotsAsync(tenant));
    }

    [TestMethod]
    public async Task AddSlotAsync_DuplicateNameInTenant_ThrowsKI4203AndAddsNothing()
    {
        var module = await AddModuleAsync();
        var tenant = Guid.NewGuid();
        var slot = Slot(tenant, module.Id);
        await Hsm.AddSlotAsync(slot);
        var second = Slot(tenant, module.Id, name: slot.Name, label: "another-token");

        var error = await Assert.ThrowsExactlyAsync<KeyInfraException>(() => Hsm.AddSlotAsync(second));

        Assert.AreEqual(ErrorCodes.HsmSlotNameTaken, error.ErrorCode);
        Assert.IsNull(await Hsm.GetSlotAsync(tenant, second.Id));
        Assert.AreEqual(slot.Id, (await Hsm.ListSlotsAsync(tenant)).Single().Id);
    }

    [TestMethod]
    public async Task AddSlotAsync_SameNameInAnotherTenant_Succeeds()
    {
        var module = await AddModuleAsync();
        var slotA = Slot(Guid.NewGuid(), module.Id, name: "payments");
        var slotB = Slot(Guid.NewGuid(), module.Id, name: "payments");

        await Hsm.AddSlotAsync(slotA);
        await Hsm.AddSlotAsync(slotB);

        Assert.AreEqual(slotA.Id, (await Hsm.FindSlotAsync(slotA.TenantId, "payments"))!.Id);
        Assert.AreEqual(slotB.Id, (await Hsm.FindSlotAsync(slotB.TenantId, "payments"))!.Id);
    }

    [TestMethod]
    public async Task AddSlotAsync_UnknownModule_ThrowsKI4205AndAddsNothing()
    {
        var slot = Slot(Guid.NewGuid(), Guid.CreateVersion7());

        var error = await Assert.ThrowsExactlyAsync<KeyInfraException>(() => Hsm.AddSlotAsync(slot));

        Assert.AreEqual(ErrorCodes.HsmModuleNotFound, error.ErrorCode);
        Assert.IsNull(await Hsm.GetSlotAsync(slot.TenantId, slot.Id));
    }

    [TestMethod]
    public async Task AddSlotAsync_DuplicateId_ThrowsTheProviderUpdateException()
    {
        var module = await AddModuleAsync();
        var slot = Slot(Guid.NewGuid(), module.Id);
        await Hsm.AddSlotAsync(slot);

        await Assert.ThrowsExactlyAsync<DbUpdateException>(() => Hsm.AddSlotAsync(slot with { Name = "again" }));
    }

    [TestMethod]
    [DataRow(null, null)]
    [DataRow("label", "serial")]
    [DataRow("", null)]
    [DataRow(null, "0123456789abcdef0")]
    [DataRow("123456789012345678901234567890123", null)]
    public async Task AddSlotAsync_NotExactlyOneValidTokenId_ThrowsArgumentExceptionAndAddsNothing(string? label, string? serial)
    {
        var module = await AddModuleAsync();
        var slot = Slot(Guid.NewGuid(), module.Id, label: label, serial: serial);

        await Assert.ThrowsAsync<ArgumentException>(() => Hsm.AddSlotAsync(slot));

        Assert.IsEmpty(await Hsm.ListSlotsAsync(slot.TenantId));
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(4097)]
    public async Task AddSlotAsync_PinCiphertextOfImplausibleSize_ThrowsArgumentException(int size)
    {
        var module = await AddModuleAsync();
        var slot = Slot(Guid.NewGuid(), module.Id) with { EncryptedPin = new byte[size] };

        await Assert.ThrowsAsync<ArgumentException>(() => Hsm.AddSlotAsync(slot));

        Assert.IsEmpty(await Hsm.ListSlotsAsync(slot.TenantId));
    }

    [TestMethod]
    public async Task StoredSlot_ChangedToBothLabelAndSerial_IsRefusedByTheDatabase()
    {
        var module = await AddModuleAsync();
        var slot = Slot(Guid.NewGuid(), module.Id);
        await Hsm.AddSlotAsync(slot);

        await Assert.ThrowsAsync<Exception>(() => Storage.TamperAsync("UPDATE hsm_slots SET token_serial = 'other' WHERE id = $1", slot.Id));
        await Assert.ThrowsAsync<Exception>(() => Storage.TamperAsync("UPDATE hsm_slots SET token_label = NULL WHERE id = $1", slot.Id));

        AssertSameSlot(slot with { CreatedAt = Storage.AsStored(slot.CreatedAt) }, (await Hsm.GetSlotAsync(slot.TenantId, slot.Id))!);
    }

    [TestMethod]
    public async Task ReplacePinAsync_RightExpectedCiphertext_ReplacesPinAndMasterKeyIdOnly()
    {
        var module = await AddModuleAsync();
        var slot = Slot(Guid.NewGuid(), module.Id);
        await Hsm.AddSlotAsync(slot);
        var rewrapped = RandomNumberGenerator.GetBytes(90);

        var replaced = await Hsm.ReplacePinAsync(slot.TenantId, slot.Id, slot.EncryptedPin.ToArray(), rewrapped, "mk-2");
        var found = await Hsm.GetSlotAsync(slot.TenantId, slot.Id);

        Assert.IsTrue(replaced);
        AssertSameSlot(slot with { EncryptedPin = rewrapped, MasterKeyId = "mk-2", CreatedAt = Storage.AsStored(slot.CreatedAt) }, found!);
    }

    [TestMethod]
    public async Task ReplacePinAsync_StaleExpectedCiphertext_ReturnsFalseAndChangesNothing()
    {
        var module = await AddModuleAsync();
        var slot = Slot(Guid.NewGuid(), module.Id);
        await Hsm.AddSlotAsync(slot);
        var first = RandomNumberGenerator.GetBytes(90);
        Assert.IsTrue(await Hsm.ReplacePinAsync(slot.TenantId, slot.Id, slot.EncryptedPin, first, "mk-2"));

        // A second writer that read the slot before the first replacement.
        var stale = await Hsm.ReplacePinAsync(slot.TenantId, slot.Id, slot.EncryptedPin, RandomNumberGenerator.GetBytes(90), "mk-3");
        var found = await Hsm.GetSlotAsync(slot.TenantId, slot.Id);

        Assert.IsFalse(stale);
        CollectionAssert.AreEqual(first, found!.EncryptedPin);
        Assert.AreEqual("mk-2", found.MasterKeyId);
    }

    [TestMethod]
    public async Task ReplacePinAsync_ConcurrentReplacementsOverOneValue_OnlyOneWins()
    {
        var module = await AddModuleAsync();
        var slot = Slot(Guid.NewGuid(), module.Id);
        await Hsm.AddSlotAsync(slot);
        var candidates = Enumerable.Range(0, 8).Select(_ => RandomNumberGenerator.GetBytes(64)).ToArray();

        var results = await Task.WhenAll(candidates.Select(c => Hsm.ReplacePinAsync(slot.TenantId, slot.Id, slot.EncryptedPin, c, "mk-race")));
        var stored = (await Hsm.GetSlotAsync(slot.TenantId, slot.Id))!.EncryptedPin;

        Assert.AreEqual(1, results.Count(r => r));
        CollectionAssert.AreEqual(candidates[Array.IndexOf(results, true)], stored);
    }

    [TestMethod]
    public async Task ReplacePinAsync_UnknownSlot_ReturnsFalse()
        => Assert.IsFalse(await Hsm.ReplacePinAsync(Guid.NewGuid(), Guid.CreateVersion7(), [1], [2], "mk-1"));

    [TestMethod]
    public async Task RemoveSlotAsync_Unused_RemovesIt()
    {
        var module = await AddModuleAsync();
        var slot = Slot(Guid.NewGuid(), module.Id);
        await Hsm.AddSlotAsync(slot);

        Assert.IsTrue(await Hsm.RemoveSlotAsync(slot.TenantId, slot.Id));

        Assert.IsNull(await Hsm.GetSlotAsync(slot.TenantId, slot.Id));
        Assert.IsFalse(await Hsm.RemoveSlotAsync(slot.TenantId, slot.Id));
    }

    [TestMethod]
    public async Task RemoveSlotAsync_NamedByPrivateKey_ThrowsKI4204AndKeepsBoth()
    {
        var module = await AddModuleAsync();
        var tenant = Guid.NewGuid();
        var slot = Slot(tenant, module.Id);
        await Hsm.AddSlotAsync(slot);
        var key = HsmKey(tenant, slot.Id);
        await Storage.Keys.AddAsync(key);

        var error = await Assert.ThrowsExactlyAsync<KeyInfraException>(() => Hsm.RemoveSlotAsync(tenant, slot.Id));

        Assert.AreEqual(ErrorCodes.HsmSlotInUse, error.ErrorCode);
        Assert.IsNotNull(await Hsm.GetSlotAsync(tenant, slot.Id));
        Assert.AreEqual(slot.Id, (await Storage.Keys.FindAsync(tenant, key.Id))!.PrivateKey!.HsmSlotId);

        // Once the key is gone, the slot goes.
        Assert.AreEqual(DeleteKeyOutcome.Deleted, await Storage.Keys.DeleteAsync(tenant, key.Id));
        Assert.IsTrue(await Hsm.RemoveSlotAsync(tenant, slot.Id));
    }

    [TestMethod]
    public async Task DeleteSlotRow_NamedByPrivateKey_IsRefusedByTheDatabase()
    {
        var module = await AddModuleAsync();
        var tenant = Guid.NewGuid();
        var slot = Slot(tenant, module.Id);
        await Hsm.AddSlotAsync(slot);
        await Storage.Keys.AddAsync(HsmKey(tenant, slot.Id));

        await Assert.ThrowsAsync<Exception>(() => Storage.TamperAsync("DELETE FROM hsm_slots WHERE id = $1", slot.Id));

        Assert.IsNotNull(await Hsm.GetSlotAsync(tenant, slot.Id));
    }

    [TestMethod]
    public async Task ListAllSlotsAsync_MoreThanAPageInATenant_ListsEverySlotOnceInIdOrderPerTenant()
    {
        await using var database = await Storage.CreateAnotherAsync();
        var module = Module();
        await database.Hsm.AddModuleAsync(module);
        var tenants = new[] { Guid.NewGuid(), Guid.NewGuid() };
        var added = new List<HsmSlotRecord>();
        for (var i = 0; i < 260; i++)
        {
            var slot = Slot(i < 257 ? tenants[0] : tenants[1], module.Id, name: $"slot {i}");
            await database.Hsm.AddSlotAsync(slot);
            added.Add(slot);
        }

        var listed = new List<HsmSlotRecord>();
        await foreach (var slot in database.Hsm.ListAllSlotsAsync())
        {
            listed.Add(slot);
        }

        Assert.HasCount(260, listed);
        CollectionAssert.AreEquivalent(added.Select(s => s.Id).ToList(), listed.Select(s => s.Id).ToList());
        foreach (var tenant in tenants)
        {
            var ofTenant = listed.Where(s => s.TenantId == tenant).Select(s => s.Id).ToList();
            CollectionAssert.AreEqual(ofTenant.Order().ToList(), ofTenant);
        }

        var sample = added[258];
        CollectionAssert.AreEqual(sample.EncryptedPin, listed.Single(s => s.Id == sample.Id).EncryptedPin);
    }

    // ---- private_keys.hsm_slot_id ----------------------------------------------------------------------------

    [TestMethod]
    public async Task PrivateKeyHsmSlotId_AddFindListAndUpdate_RoundTrips()
    {
        var module = await AddModuleAsync();
        var tenant = Guid.NewGuid();
        var slot = Slot(tenant, module.Id);
        await Hsm.AddSlotAsync(slot);
        var key = HsmKey(tenant, slot.Id);

        await Storage.Keys.AddAsync(key);
        var found = await Storage.Keys.FindAsync(tenant, key.Id);
        var listed = await Storage.Keys.ListAsync(tenant, new KeyQuery(), 10);
        var stored = new List<StoredPrivateKey>();
        await foreach (var privateKey in Storage.Keys.ListPrivateKeysAsync())
        {
            if (privateKey.KeyId == key.Id)
            {
                stored.Add(privateKey);
            }
        }

        Assert.AreEqual(slot.Id, found!.PrivateKey!.HsmSlotId);
        Assert.AreEqual("pkcs11", found.PrivateKey.Backend);
        Assert.AreEqual(PrivateKeyProtection.Hsm, found.PrivateKey.Protection);
        Assert.IsNull(found.PrivateKey.MasterKeyId);
        Assert.AreEqual(slot.Id, listed.Single().PrivateKey!.HsmSlotId);
        Assert.AreEqual(slot.Id, stored.Single().PrivateKey.HsmSlotId);
        Assert.AreEqual(slot.Id, await Storage.ScalarAsync<Guid>("SELECT hsm_slot_id FROM private_keys WHERE key_id = $1", key.Id));

        // Replacing the private key replaces the slot reference with it: a software key names no slot.
        Assert.IsTrue(await Storage.Keys.UpdatePrivateKeyAsync(tenant, key.Id, new PrivateKeyRecord(PrivateKeyProtection.Envelope, [1, 2, 3], "mk-1")));
        Assert.IsNull((await Storage.Keys.FindAsync(tenant, key.Id))!.PrivateKey!.HsmSlotId);
        Assert.IsTrue(await Storage.Keys.UpdatePrivateKeyAsync(tenant, key.Id, key.PrivateKey!));
        Assert.AreEqual(slot.Id, (await Storage.Keys.FindAsync(tenant, key.Id))!.PrivateKey!.HsmSlotId);
    }

    [TestMethod]
    public async Task PrivateKeyHsmSlotId_SoftwareKey_IsNull()
    {
        var tenant = Guid.NewGuid();
        var key = TestData.Key(tenant);

        await Storage.Keys.AddAsync(key);

        Assert.IsNull((await Storage.Keys.FindAsync(tenant, key.Id))!.PrivateKey!.HsmSlotId);
        Assert.IsNull(await Storage.ScalarAsync<Guid?>("SELECT hsm_slot_id FROM private_keys WHERE key_id = $1", key.Id));
    }

    [TestMethod]
    public async Task AddKeyAsync_NamingAnotherTenantsSlot_IsRefusedAndAddsNothing()
    {
        var module = await AddModuleAsync();
        var slotOfB = Slot(Guid.NewGuid(), module.Id);
        await Hsm.AddSlotAsync(slotOfB);
        var tenantA = Guid.NewGuid();
        var key = HsmKey(tenantA, slotOfB.Id);

        await Assert.ThrowsExactlyAsync<DbUpdateException>(() => Storage.Keys.AddAsync(key));

        Assert.IsNull(await Storage.Keys.FindAsync(tenantA, key.Id));
    }

    [TestMethod]
    public async Task KeyRowPointedAtAnotherTenantsSlot_ByAWriterPastKeyInfra_IsRefusedByTheForeignKey()
    {
        // Tenant A's key held in A's slot; the attacker writes the database directly (past row-level security) and
        // points the key at B's slot, whose token would sign for B.
        var module = await AddModuleAsync();
        var tenantA = Guid.NewGuid();
        var slotOfA = Slot(tenantA, module.Id);
        var slotOfB = Slot(Guid.NewGuid(), module.Id);
        await Hsm.AddSlotAsync(slotOfA);
        await Hsm.AddSlotAsync(slotOfB);
        var key = HsmKey(tenantA, slotOfA.Id);
        await Storage.Keys.AddAsync(key);

        await Assert.ThrowsAsync<Exception>(() => Storage.TamperAsync("UPDATE private_keys SET hsm_slot_id = $1 WHERE key_id = $2", slotOfB.Id, key.Id));
        await Assert.ThrowsAsync<Exception>(() => Storage.TamperAsync("UPDATE private_keys SET hsm_slot_id = $1 WHERE key_id = $2", Guid.CreateVersion7(), key.Id));

        Assert.AreEqual(slotOfA.Id, (await Storage.Keys.FindAsync(tenantA, key.Id))!.PrivateKey!.HsmSlotId);
    }

    [TestMethod]
    public async Task ListMasterKeyIdsInUseAsync_SlotPins_AreIncluded()
    {
        await using var database = await Storage.CreateAnotherAsync();
        var module = Module();
        await database.Hsm.AddModuleAsync(module);
        await database.Keys.AddAsync(TestData.Key(Guid.NewGuid(), masterKeyId: "mk-key"));
        await database.Hsm.AddSlotAsync(Slot(Guid.NewGuid(), module.Id) with { MasterKeyId = "mk-pin" });
        await database.Hsm.AddSlotAsync(Slot(Guid.NewGuid(), module.Id) with { MasterKeyId = "mk-key" });

        var inUse = await database.Keys.ListMasterKeyIdsInUseAsync();

        CollectionAssert.AreEqual(new[] { "mk-key", "mk-pin" }, inUse.ToList());
    }

    [TestMethod]
    public async Task SlotsAndModules_AfterRestart_AreStillThere()
    {
        await using var database = await Storage.CreateAnotherAsync();
        var module = Module();
        await database.Hsm.AddModuleAsync(module);
        var slot = Slot(Guid.NewGuid(), module.Id);
        await database.Hsm.AddSlotAsync(slot);

        await database.RestartAsync();

        Assert.AreEqual(module.Id, (await database.Hsm.FindModuleAsync(module.Name))!.Id);
        AssertSameSlot(slot with { CreatedAt = database.AsStored(slot.CreatedAt) }, (await database.Hsm.GetSlotAsync(slot.TenantId, slot.Id))!);
    }

    [TestMethod]
    public async Task Migrator_RevertHsmSlotsAndMigrateAgain_KeepsKeysAndTheirChangeTracking()
    {
        // Reverting the migration drops the HSM tables and the column; the keys (and, on SQLite, the key change triggers
        // of the rebuilt private_keys) survive both ways.
        await using var database = await Storage.CreateAnotherAsync();
        var tenant = Guid.NewGuid();
        var key = TestData.Key(tenant);
        await database.Keys.AddAsync(key);
        var migrations = (await database.Migrator.GetStatusAsync()).Applied;
        var beforeHsm = migrations[migrations.ToList().FindIndex(m => m.EndsWith("_HsmSlots", StringComparison.Ordinal)) - 1];

        await database.Migrator.MigrateAsync(beforeHsm);
        var tablesDown = await database.ListTablesAsync();
        await database.Migrator.MigrateAsync();
        await database.RestartAsync();

        CollectionAssert.DoesNotContain(tablesDown.ToList(), "hsm_slots");
        CollectionAssert.Contains((await database.ListTablesAsync()).ToList(), "hsm_slots");
        var found = await database.Keys.FindAsync(tenant, key.Id);
        CollectionAssert.AreEqual(key.PrivateKey!.Material, found!.PrivateKey!.Material);
        Assert.IsTrue(await database.Keys.UpdatePrivateKeyAsync(tenant, key.Id, key.PrivateKey with { MasterKeyId = "mk-2" }));
    }

    private static HsmModuleRecord Module(Guid? id = null, string? name = null, string libraryPath = "/usr/lib/softhsm/libsofthsm2.so", DateTimeOffset? createdAt = null)
        => new(id ?? Guid.CreateVersion7(), name ?? "softhsm " + Guid.NewGuid(), libraryPath, createdAt ?? TestData.Epoch);

    private static HsmSlotRecord Slot(Guid tenantId, Guid moduleId, Guid? id = null, string name = "payments", string? label = "token-1", string? serial = null)
        => new(id ?? Guid.CreateVersion7(), tenantId, name, moduleId, label, serial, RandomNumberGenerator.GetBytes(80), "mk-1", TestData.Epoch);

    private static KeyRecord HsmKey(Guid tenantId, Guid slotId)
        => TestData.Key(tenantId) with
        {
            PrivateKey = new PrivateKeyRecord(PrivateKeyProtection.Hsm, [1, 0x04, 0xCA, 0xFE], null) { Backend = "pkcs11", HsmSlotId = slotId },
        };

    private async Task<HsmModuleRecord> AddModuleAsync()
    {
        var module = Module();
        await Hsm.AddModuleAsync(module);
        return module;
    }

    private static void AssertSameSlot(HsmSlotRecord expected, HsmSlotRecord actual)
    {
        Assert.AreEqual(expected.Id, actual.Id);
        Assert.AreEqual(expected.TenantId, actual.TenantId);
        Assert.AreEqual(expected.Name, actual.Name);
        Assert.AreEqual(expected.ModuleId, actual.ModuleId);
        Assert.AreEqual(expected.TokenLabel, actual.TokenLabel);
        Assert.AreEqual(expected.TokenSerial, actual.TokenSerial);
        CollectionAssert.AreEqual(expected.EncryptedPin, actual.EncryptedPin);
        Assert.AreEqual(expected.MasterKeyId, actual.MasterKeyId);
        Assert.AreEqual(expected.CreatedAt, actual.CreatedAt);
        Assert.AreEqual(TimeSpan.Zero, actual.CreatedAt.Offset);
    }
}
