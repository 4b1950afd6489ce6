using System.Security.Cryptography;
using KeyInfra.Pkcs11.Diagnostics;
using KeyInfra.Pkcs11.Errors;
using KeyInfra.Pkcs11.Native;
using KeyInfra.Pkcs11.Slots;
using KeyInfra.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KeyInfra.Pkcs11.Sessions;

/// <summary>
/// The session pools of this host, one per stored slot, made on first use from the slot and module rows and replaced
/// when those rows change (another PIN, token or module). Checks every library path against the host's options before
/// anything is loaded.
/// </summary>
/// <remarks>Singleton, thread-safe; disposing it closes every pool (and finalizes modules no other host of the process uses).</remarks>
internal sealed class Pkcs11Runtime(
    IHsmRepository repository, SlotPins pins, IOptions<Pkcs11Options> options, Pkcs11Metrics metrics, ILoggerFactory loggerFactory) : IDisposable
{
    private readonly Dictionary<Guid, (TokenSessionPool Pool, string Fingerprint)> _pools = [];
    private readonly Lock _gate = new();
    private readonly ILogger _logger = loggerFactory.CreateLogger("KeyInfra.Pkcs11.Sessions");
    private bool _disposed;

    public IHsmRepository Repository => repository;

    /// <summary>The tenant's slot with this id, and its pool.</summary>
    /// <exception cref="HsmException">KI6012 no such slot; KI6018 its module row is missing; KI6001 its library is not allowed; KI6002/KI6003 it does not load.</exception>
    public async Task<SlotContext> GetSlotAsync(Guid tenantId, Guid slotId, CancellationToken cancellationToken)
    {
        var slot = await repository.GetSlotAsync(tenantId, slotId, cancellationToken).ConfigureAwait(false)
            ?? throw new HsmException(Pkcs11ErrorCodes.SlotNotFound, $"Tenant {tenantId} has no HSM slot with id {slotId} (it was removed, or the key row names another tenant's slot). List the tenant's slots with 'hsm slots list'.");
        return await ContextAsync(slot, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The tenant's slot with this name, and its pool.</summary>
    public async Task<SlotContext> FindSlotAsync(Guid tenantId, string name, CancellationToken cancellationToken)
    {
        var slot = await repository.FindSlotAsync(tenantId, name, cancellationToken).ConfigureAwait(false)
            ?? throw new HsmException(Pkcs11ErrorCodes.SlotNotFound, $"Tenant {tenantId} has no HSM slot named '{name}'. Add it first (IHsmManager.AddSlotAsync, 'hsm slots add'), or list the slots with 'hsm slots list'.");
        return await ContextAsync(slot, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Loads a module for a short use (adding a module or testing a slot before it is stored); the caller disposes the lease.</summary>
    public Pkcs11Module.Lease AcquireModule(HsmModuleRecord module)
    {
        CheckAllowed(module);
        return Pkcs11Module.Acquire(module.LibraryPath, module.Name);
    }

    /// <summary>A pool that is not kept (a slot being tested before it is stored); the caller disposes it.</summary>
    public TokenSessionPool CreateTransientPool(HsmModuleRecord module, string slotName, TokenSelector token, Func<CancellationToken, ValueTask<byte[]>> pin)
    {
        var lease = AcquireModule(module);
        return new TokenSessionPool(lease, $"slot '{slotName}' (module '{module.Name}')", token, pin, options.Value, metrics, _logger);
    }

    /// <summary>Closes the slot's pool, if one is open (the slot was removed).</summary>
    public void Forget(Guid slotId)
    {
        TokenSessionPool? pool = null;
        lock (_gate)
        {
            if (_pools.Remove(slotId, out var entry))
            {
                pool = entry.Pool;
            }
        }

        pool?.Dispose();
    }

    public void Dispose()
    {
        List<TokenSessionPool> pools;
        lock (_gate)
        {
            _disposed = true;
            pools = [.. _pools.Values.Select(e => e.Pool)];
            _pools.Clear();
        }

        foreach (var pool in pools)
        {
            pool.Dispose();
        }
    }

    private async Task<SlotContext> ContextAsync(HsmSlotRecord slot, CancellationToken cancellationToken)
    {
        var module = await repository.GetModuleAsync(slot.ModuleId, cancellationToken).ConfigureAwait(false)
            ?? throw new HsmException(Pkcs11ErrorCodes.HsmUnavailable, $"HSM slot '{slot.Name}' ({slot.Id}) names module {slot.ModuleId}, which is not stored. Restore the module row, or remove the slot.");
        return new SlotContext(slot, module, GetPool(slot, module));
    }

    private TokenSessionPool GetPool(HsmSlotRecord slot, HsmModuleRecord module)
    {
        CheckAllowed(module);

        // Everything the pool was made from; a row that changed gets a new pool (a PIN, token or module change).
        var fingerprint = string.Join('\n', module.Id.ToString("N"), module.Name, module.LibraryPath, slot.TokenLabel ?? "", slot.TokenSerial ?? "",
            Convert.ToHexString(SHA256.HashData(slot.EncryptedPin)));
        TokenSessionPool? replaced = null;
        TokenSessionPool pool;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_pools.TryGetValue(slot.Id, out var entry) && entry.Fingerprint == fingerprint)
            {
                return entry.Pool;
            }

            replaced = entry.Pool;
            var lease = Pkcs11Module.Acquire(module.LibraryPath, module.Name);
            var stored = slot;
            pool = new TokenSessionPool(lease, $"slot '{slot.Name}' (module '{module.Name}')", new TokenSelector(slot.TokenLabel, slot.TokenSerial),
                ct => pins.DecryptAsync(stored, module, ct), options.Value, metrics, _logger);
            _pools[slot.Id] = (pool, fingerprint);
        }

        replaced?.Dispose();
        return pool;
    }

    private void CheckAllowed(HsmModuleRecord module)
    {
        if (!ModulePaths.IsAllowed(options.Value, module.LibraryPath))
        {
            Log.ModulePathRefused(_logger, module.LibraryPath, module.Name);
            throw new HsmException(Pkcs11ErrorCodes.ModulePathNotAllowed,
                $"The PKCS#11 library '{module.LibraryPath}' of module '{module.Name}' is not one this host allows, so it is not loaded (loading a library runs its code, and the stored path is not trusted). " +
                "If the path is right, add it to Pkcs11Options.AllowedModulePaths (or ModulePath); if nobody here set it, the module row was changed outside KeyInfra.");
        }
    }
}
