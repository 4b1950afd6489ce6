namespace KeyInfra.Storage;

/// <summary>
/// Persists PKCS#11 modules (<c>hsm_modules</c>, global) and tenants' slots (<c>hsm_slots</c>). Implemented by a storage
/// provider (KeyInfra.EntityFrameworkCore); used by the PKCS#11 package, which does the cryptography (the PIN's
/// encryption) and decides which library paths may be loaded.
/// </summary>
/// <remarks>
/// <para>Every provider keeps this contract (the storage conformance suite tests each point):</para>
/// <list type="bullet">
/// <item><description>Slot methods see and change only their tenant's slots: a slot of another tenant is not found, not
/// listed, not changed and not removed (on PostgreSQL row-level security hides it too). A private key can name only a
/// slot of its own tenant: the foreign key of <c>private_keys</c> is <c>(tenant_id, hsm_slot_id)</c> →
/// <c>hsm_slots (tenant_id, id)</c>.</description></item>
/// <item><description>Names are unique: a module's among modules, a slot's in its tenant (ordinal). Adding a duplicate
/// name throws a <see cref="Errors.KeyInfraException"/> (<see cref="Errors.ErrorCodes.HsmModuleNameTaken"/>,
/// <see cref="Errors.ErrorCodes.HsmSlotNameTaken"/>) and adds nothing; an id that is already stored throws the
/// provider's update exception.</description></item>
/// <item><description>Removing is refused while something refers to the row, and removes nothing: a module while any
/// tenant's slot names it (<see cref="Errors.ErrorCodes.HsmModuleInUse"/>), a slot while a private key names it
/// (<see cref="Errors.ErrorCodes.HsmSlotInUse"/>). The database's foreign keys (ON DELETE RESTRICT) refuse it as
/// well, so a concurrent add cannot slip in between the check and the delete.</description></item>
/// <item><description>A store stores what it is given and never decrypts: the PIN ciphertext comes back byte for
/// byte. A store that cannot read all it needs throws, never returns part: a row it cannot parse (neither or both of
/// the token label and serial) fails the call with <see cref="Errors.ErrorCodes.StoredDataInvalid"/>. Times come back
/// in UTC, to at least the microsecond.</description></item>
/// </list>
/// <para>Security: nothing read here is trusted. A module's library path is loaded only if the host's options allow
/// it; a PIN ciphertext decrypts only for its own row and token; a key in a token is used only if the token's public
/// key equals the key row's authenticated one.</para>
/// <para>Thread-safe; implementations open a unit of work per call.</para>
/// </remarks>
public interface IHsmRepository
{
    /// <summary>Every module, in id order (<see cref="Guid.CompareTo(Guid)"/>, which for UUIDv7 ids is creation order).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<HsmModuleRecord>> ListModulesAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads a module by id; <c>null</c> if there is none.</summary>
    /// <param name="moduleId">The module's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<HsmModuleRecord?> GetModuleAsync(Guid moduleId, CancellationToken cancellationToken = default);

    /// <summary>Reads a module by name (exact, ordinal); <c>null</c> if there is none.</summary>
    /// <param name="name">The module's name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<HsmModuleRecord?> FindModuleAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Adds a module.</summary>
    /// <param name="hsmModule">The module; its name and path non-empty and within their lengths.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="Errors.KeyInfraException"><see cref="Errors.ErrorCodes.HsmModuleNameTaken"/>: a module with that name exists; nothing was added.</exception>
    /// <exception cref="ArgumentException">A name or path that is empty, too long, or (PostgreSQL) holds a NUL character.</exception>
    Task AddModuleAsync(HsmModuleRecord hsmModule, CancellationToken cancellationToken = default);

    /// <summary>Removes a module that no slot names.</summary>
    /// <param name="moduleId">The module's id.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><c>true</c> if the module was removed; <c>false</c> if there was none.</returns>
    /// <exception cref="Errors.KeyInfraException"><see cref="Errors.ErrorCodes.HsmModuleInUse"/>: a slot of any tenant names the module; nothing was removed.</exception>
    Task<bool> RemoveModuleAsync(Guid moduleId, CancellationToken cancellationToken = default);

    /// <summary>The slots of a tenant, in id order.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<HsmSlotRecord>> ListSlotsAsync(Guid tenantId, CancellationToken cancellationToken = default);

    /// <summary>Reads a slot of a tenant by id; <c>null</c> if the tenant has none with that id.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="slotId">The slot's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<HsmSlotRecord?> GetSlotAsync(Guid tenantId, Guid slotId, CancellationToken cancellationToken = default);

    /// <summary>Reads a slot of a tenant by name (exact, ordinal); <c>null</c> if the tenant has none with that name.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="name">The slot's name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<HsmSlotRecord?> FindSlotAsync(Guid tenantId, string name, CancellationToken cancellationToken = default);

    /// <summary>Adds a slot to its tenant (<see cref="HsmSlotRecord.TenantId"/>).</summary>
    /// <param name="slot">The slot: exactly one of the token label and serial, a non-empty PIN ciphertext and master key id.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="Errors.KeyInfraException">
    /// <see cref="Errors.ErrorCodes.HsmSlotNameTaken"/>: the tenant has a slot with that name;
    /// <see cref="Errors.ErrorCodes.HsmModuleNotFound"/>: no module has <see cref="HsmSlotRecord.ModuleId"/>. Nothing was added.
    /// </exception>
    /// <exception cref="ArgumentException">Neither or both of the token label and serial, an empty or too long value, or (PostgreSQL) a NUL character.</exception>
    Task AddSlotAsync(HsmSlotRecord slot, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces a slot's PIN ciphertext and its master key id, only if the stored ciphertext is still
    /// <paramref name="expectedEncryptedPin"/> (compare-and-set, one statement): for a PIN change and for re-wrapping
    /// under another master key. Nothing else of the slot changes.
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="slotId">The slot's id.</param>
    /// <param name="expectedEncryptedPin">The ciphertext the caller read (and decrypted or re-wrapped).</param>
    /// <param name="encryptedPin">The new ciphertext.</param>
    /// <param name="masterKeyId">The master key that wrapped <paramref name="encryptedPin"/>'s data key.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><c>true</c> if the ciphertext was replaced; <c>false</c>, changing nothing, if the tenant has no such slot
    /// or its stored ciphertext is another (a concurrent change won: read the slot again).</returns>
    Task<bool> ReplacePinAsync(Guid tenantId, Guid slotId, byte[] expectedEncryptedPin, byte[] encryptedPin, string masterKeyId, CancellationToken cancellationToken = default);

    /// <summary>Removes a slot of a tenant that no private key names.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="slotId">The slot's id.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><c>true</c> if the slot was removed; <c>false</c> if the tenant has none with that id.</returns>
    /// <exception cref="Errors.KeyInfraException"><see cref="Errors.ErrorCodes.HsmSlotInUse"/>: a private key names the slot; nothing was removed.</exception>
    Task<bool> RemoveSlotAsync(Guid tenantId, Guid slotId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every slot, across tenants, each once (for re-wrapping PINs under a new master key): in id order within a tenant,
    /// read in pages so no reader stays open while the caller writes; the order of the tenants is the provider's (a store
    /// under row-level security goes tenant by tenant).
    /// </summary>
    /// <param name="cancellationToken">Cancels the reads.</param>
    IAsyncEnumerable<HsmSlotRecord> ListAllSlotsAsync(CancellationToken cancellationToken = default);
}
