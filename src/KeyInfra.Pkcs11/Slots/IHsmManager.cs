namespace KeyInfra.Pkcs11.Slots;

/// <summary>
/// Manages PKCS#11 modules (global: libraries on the host) and the current tenant's HSM slots (a token and its user PIN,
/// encrypted under the master key). What the <c>hsm modules …</c> and <c>hsm slots …</c> commands call.
/// </summary>
/// <remarks>
/// <para>Security: a module's library is loaded only if the host's <see cref="Pkcs11Options"/> allow its path. A slot's PIN
/// is tried once (a login) before it is stored, encrypted with envelope encryption bound to the tenant, the slot row, the
/// module's name and the token's label or serial; it is never logged or returned. These calls are administrative and are
/// not checked by the host's <c>IKeyInfraAuthorizer</c> (it has no operation for them): expose them only to administrators.</para>
/// <para>Thread-safe; registered by <c>AddPkcs11()</c>.</para>
/// </remarks>
public interface IHsmManager
{
    /// <summary>Stores a module after loading its library once to check that it is a PKCS#11 module.</summary>
    /// <param name="name">The module's name, unique in the database; 1 to 200 characters.</param>
    /// <param name="libraryPath">The library's absolute path; this host's options must allow it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.HsmException">KI6001 the path is not allowed; KI6002/KI6003 it does not load or is not PKCS#11.</exception>
    /// <exception cref="KeyInfra.Errors.KeyInfraException">KI4201: a module with that name exists.</exception>
    Task<HsmModuleInfo> AddModuleAsync(string name, string libraryPath, CancellationToken cancellationToken = default);

    /// <summary>Every stored module, with whether this host allows its library.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<HsmModuleInfo>> ListModulesAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes a module no slot uses; <c>false</c> if there is none with that name.</summary>
    /// <param name="name">The module's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="KeyInfra.Errors.KeyInfraException">KI4202: slots name the module.</exception>
    Task<bool> RemoveModuleAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Logs in to the token with <paramref name="pin"/> (once: a wrong PIN is not retried), then stores the slot with the PIN encrypted.</summary>
    /// <param name="request">The slot: its name, module, and token label or serial.</param>
    /// <param name="pin">The token's user PIN as UTF-8 bytes. KeyInfra copies it and zeroes its copies; the caller zeroes its own.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.HsmException">KI6004 no such token; KI6005 the PIN is wrong; KI6006 it is locked; KI6001–KI6003 the module.</exception>
    /// <exception cref="KeyInfra.Errors.KeyInfraException">KI4203: the tenant has a slot with that name.</exception>
    Task<HsmSlotInfo> AddSlotAsync(AddHsmSlotRequest request, ReadOnlyMemory<byte> pin, CancellationToken cancellationToken = default);

    /// <summary>The current tenant's slots.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<HsmSlotInfo>> ListSlotsAsync(CancellationToken cancellationToken = default);

    /// <summary>Finds the slot's token and logs in with its stored PIN (through the slot's session pool); returns what it found.</summary>
    /// <param name="name">The slot's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.HsmException">What failed: KI6012 no such slot, KI6004 token, KI6005/KI6006 PIN, KI6017 PIN ciphertext, KI6001–KI6003 module.</exception>
    Task<HsmTokenInfo> TestSlotAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Removes a slot of the current tenant that no key uses, and closes its session pool; <c>false</c> if there is none with that name.</summary>
    /// <param name="name">The slot's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="KeyInfra.Errors.KeyInfraException">KI4204: keys name the slot.</exception>
    Task<bool> RemoveSlotAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Re-wraps every tenant's slot PIN under the current master key, without decrypting it (after a master-key rotation;
    /// <c>reencrypt</c> calls it). Each slot is replaced by compare-and-set, so a concurrent PIN change is never overwritten.
    /// </summary>
    /// <param name="cancellationToken">Cancels the run; slots already re-wrapped stay re-wrapped.</param>
    /// <exception cref="KeyInfra.Errors.AccessDeniedException">
    /// KI5001: the caller may not manage master keys (<c>KeyInfraOperation.ManageMasterKeys</c>; the built-in authorizer
    /// allows system callers only).
    /// </exception>
    Task<HsmPinRewrapSummary> RewrapPinsAsync(CancellationToken cancellationToken = default);
}
