using System.Security.Cryptography;
using KeyInfra.Audit;
using KeyInfra.Authorization;
using KeyInfra.Errors;
using KeyInfra.Pkcs11.Errors;
using KeyInfra.Pkcs11.Sessions;
using KeyInfra.Storage;
using KeyInfra.Tenancy;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KeyInfra.Pkcs11.Slots;

/// <summary>The <see cref="IHsmManager"/> over <see cref="IHsmRepository"/>, the session pools and the PIN encryption.</summary>
/// <remarks>
/// Every call is asked about first: <see cref="KeyInfraOperation.ManageHsm"/> (the <c>manage_hsm</c> permission), but
/// <see cref="RewrapPinsAsync"/>, part of the master-key re-wrap over every tenant's slots, asks
/// <see cref="KeyInfraOperation.ManageMasterKeys"/>, which the built-in authorizer allows the host (a system caller) only.
/// </remarks>
internal sealed class HsmManager(
    Pkcs11Runtime runtime, SlotPins pins, ITenantContext tenant, IKeyInfraAccess access, IAuditTrail audit,
    IOptions<Pkcs11Options> options, TimeProvider time, ILogger<HsmManager> logger) : IHsmManager
{
    private const int MaxNameLength = 200;
    private const int MaxLabelLength = 32;
    private const int MaxSerialLength = 16;

    private IHsmRepository Repository => runtime.Repository;

    public async Task<HsmModuleInfo> AddModuleAsync(string name, string libraryPath, CancellationToken cancellationToken = default)
    {
        await DemandAsync(cancellationToken).ConfigureAwait(false);
        CheckName(name, "A module name", nameof(name));
        ArgumentNullException.ThrowIfNull(libraryPath);
        if (!ModulePaths.IsWellFormed(libraryPath))
        {
            throw new ArgumentException($"'{libraryPath}' is not an absolute, normalized path; give the PKCS#11 library's full path.", nameof(libraryPath));
        }

        var module = new HsmModuleRecord(Guid.CreateVersion7(), name, libraryPath, Now());

        // Loaded once to prove it is a PKCS#11 module this host allows, before anything is stored.
        using (runtime.AcquireModule(module))
        {
        }

        await Repository.AddModuleAsync(module, cancellationToken).ConfigureAwait(false);
        Log.ModuleAdded(logger, name, libraryPath);
        var info = Info(module);
        await audit.RecordChangeAsync(Change(AuditActions.HsmModuleAdd, "hsm_module", module.Id, null, State(info)), cancellationToken).ConfigureAwait(false);
        return info;
    }

    public async Task<IReadOnlyList<HsmModuleInfo>> ListModulesAsync(CancellationToken cancellationToken = default)
    {
        await DemandAsync(cancellationToken).ConfigureAwait(false);
        return [.. (await Repository.ListModulesAsync(cancellationToken).ConfigureAwait(false)).Select(Info)];
    }

    public async Task<bool> RemoveModuleAsync(string name, CancellationToken cancellationToken = default)
    {
        await DemandAsync(cancellationToken).ConfigureAwait(false);
        ArgumentNullException.ThrowIfNull(name);
        var module = await Repository.FindModuleAsync(name, cancellationToken).ConfigureAwait(false);
        if (module is null || !await Repository.RemoveModuleAsync(module.Id, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        Log.ModuleRemoved(logger, name);
        await audit.RecordChangeAsync(Change(AuditActions.HsmModuleRemove, "hsm_module", module.Id, State(Info(module)), null), cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<HsmSlotInfo> AddSlotAsync(AddHsmSlotRequest request, ReadOnlyMemory<byte> pin, CancellationToken cancellationToken = default)
    {
        await DemandAsync(cancellationToken).ConfigureAwait(false);
        ArgumentNullException.ThrowIfNull(request);
        CheckName(request.Name, "A slot name", nameof(request));
        ArgumentNullException.ThrowIfNull(request.ModuleName, nameof(request));
        if ((request.TokenLabel is null) == (request.TokenSerial is null))
        {
            throw new ArgumentException("A slot names its token by label or by serial number: set exactly one of TokenLabel and TokenSerial.", nameof(request));
        }

        if (request.TokenLabel is { Length: 0 or > MaxLabelLength } || request.TokenSerial is { Length: 0 or > MaxSerialLength })
        {
            throw new ArgumentException($"A token label is 1 to {MaxLabelLength} characters, a serial number 1 to {MaxSerialLength}.", nameof(request));
        }

        if (pin.IsEmpty)
        {
            throw new ArgumentException("The user PIN is empty.", nameof(pin));
        }

        var tenantId = tenant.TenantId;
        var module = await Repository.FindModuleAsync(request.ModuleName, cancellationToken).ConfigureAwait(false)
            ?? throw new HsmException(Pkcs11ErrorCodes.SlotNotFound, $"No PKCS#11 module named '{request.ModuleName}' is stored. Add it first ('hsm modules add').");

        // Tried once, with a pool of its own that is closed right after: a wrong PIN is reported and never retried.
        var token = new TokenSelector(request.TokenLabel, request.TokenSerial);
        using (var pool = runtime.CreateTransientPool(module, request.Name, token, _ => ValueTask.FromResult(pin.ToArray())))
        {
            await pool.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        }

        var slotId = Guid.CreateVersion7();
        var (ciphertext, masterKeyId) = await pins.EncryptAsync(pin, SlotPins.ContextFor(tenantId, slotId, module.Name, request.TokenLabel, request.TokenSerial), cancellationToken).ConfigureAwait(false);
        var slot = new HsmSlotRecord(slotId, tenantId, request.Name, module.Id, request.TokenLabel, request.TokenSerial, ciphertext, masterKeyId, Now());
        await Repository.AddSlotAsync(slot, cancellationToken).ConfigureAwait(false);
        Log.SlotAdded(logger, request.Name, slotId, tenantId, request.TokenLabel ?? request.TokenSerial!, module.Name);
        var added = Info(slot, module.Name);
        await audit.RecordChangeAsync(Change(AuditActions.HsmSlotAdd, "hsm_slot", slotId, null, State(added)), cancellationToken).ConfigureAwait(false);
        return added;
    }

    public async Task<IReadOnlyList<HsmSlotInfo>> ListSlotsAsync(CancellationToken cancellationToken = default)
    {
        await DemandAsync(cancellationToken).ConfigureAwait(false);
        var slots = await Repository.ListSlotsAsync(tenant.TenantId, cancellationToken).ConfigureAwait(false);
        var modules = (await Repository.ListModulesAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(m => m.Id, m => m.Name);
        return [.. slots.Select(s => Info(s, modules.GetValueOrDefault(s.ModuleId, s.ModuleId.ToString())))];
    }

    public async Task<HsmTokenInfo> TestSlotAsync(string name, CancellationToken cancellationToken = default)
    {
        await DemandAsync(cancellationToken).ConfigureAwait(false);
        ArgumentNullException.ThrowIfNull(name);
        var slot = await runtime.FindSlotAsync(tenant.TenantId, name, cancellationToken).ConfigureAwait(false);
        await slot.Pool.EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var (info, loggedIn) = await slot.Pool.DescribeAsync(cancellationToken).ConfigureAwait(false);
        return new HsmTokenInfo(info.Label.TrimEnd(' ', '\0'), info.SerialNumber.TrimEnd(' ', '\0'), info.ManufacturerId.TrimEnd(' ', '\0'), info.Model.TrimEnd(' ', '\0'), loggedIn);
    }

    public async Task<bool> RemoveSlotAsync(string name, CancellationToken cancellationToken = default)
    {
        await DemandAsync(cancellationToken).ConfigureAwait(false);
        ArgumentNullException.ThrowIfNull(name);
        var tenantId = tenant.TenantId;
        var slot = await Repository.FindSlotAsync(tenantId, name, cancellationToken).ConfigureAwait(false);
        if (slot is null || !await Repository.RemoveSlotAsync(tenantId, slot.Id, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        runtime.Forget(slot.Id);
        Log.SlotRemoved(logger, name, slot.Id, tenantId);
        await audit.RecordChangeAsync(Change(AuditActions.HsmSlotRemove, "hsm_slot", slot.Id, new Dictionary<string, string?> { ["name"] = name }, null), cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<HsmPinRewrapSummary> RewrapPinsAsync(CancellationToken cancellationToken = default)
    {
        await access.DemandAsync(KeyInfraOperation.ManageMasterKeys, cancellationToken).ConfigureAwait(false);
        var modules = new Dictionary<Guid, HsmModuleRecord?>();
        int rewrapped = 0, current = 0, failed = 0;
        await foreach (var slot in Repository.ListAllSlotsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!modules.TryGetValue(slot.ModuleId, out var module))
            {
                module = await Repository.GetModuleAsync(slot.ModuleId, cancellationToken).ConfigureAwait(false);
                modules[slot.ModuleId] = module;
            }

            try
            {
                if (module is null)
                {
                    throw new HsmException(Pkcs11ErrorCodes.HsmUnavailable, $"Slot {slot.Id} names module {slot.ModuleId}, which is not stored.");
                }

                var wrapped = await pins.RewrapAsync(slot, module, cancellationToken).ConfigureAwait(false);
                if (CryptographicOperations.FixedTimeEquals(wrapped, slot.EncryptedPin))
                {
                    current++;
                }
                else if (await Repository.ReplacePinAsync(slot.TenantId, slot.Id, slot.EncryptedPin, wrapped, pins.MasterKeyIdOf(wrapped), cancellationToken).ConfigureAwait(false))
                {
                    rewrapped++;
                }
                else
                {
                    failed++;
                    Log.PinRewrapFailed(logger, slot.Id, slot.TenantId, slot.MasterKeyId,
                        new HsmException(Pkcs11ErrorCodes.OperationFailed, "The slot's PIN changed while it was re-wrapped; run the re-wrap again."));
                }
            }
            catch (KeyInfraException e) when (e is not MasterKeyException)
            {
                failed++;
                Log.PinRewrapFailed(logger, slot.Id, slot.TenantId, slot.MasterKeyId, e);
            }
        }

        Log.PinsRewrapped(logger, rewrapped, current, failed);
        await audit.RecordChangeAsync(new AuditChange
        {
            Action = AuditActions.HsmPinsRewrap,
            TargetType = "hsm_slot",
            After = new Dictionary<string, string?>
            {
                ["rewrapped"] = rewrapped.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["current"] = current.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["failed"] = failed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        }, cancellationToken).ConfigureAwait(false);
        return new HsmPinRewrapSummary(rewrapped, current, failed);
    }

    private HsmModuleInfo Info(HsmModuleRecord module)
        => new(module.Id, module.Name, module.LibraryPath, ModulePaths.IsAllowed(options.Value, module.LibraryPath), module.CreatedAt);

    private static HsmSlotInfo Info(HsmSlotRecord slot, string moduleName)
        => new(slot.Id, slot.Name, moduleName, slot.TokenLabel, slot.TokenSerial, slot.MasterKeyId, slot.CreatedAt);

    private DateTimeOffset Now()
    {
        var now = time.GetUtcNow();
        return now.AddTicks(-(now.UtcTicks % TimeSpan.TicksPerMicrosecond));
    }

    private static void CheckName(string name, string what, string paramName)
    {
        ArgumentNullException.ThrowIfNull(name, paramName);
        if (name.Length is 0 or > MaxNameLength || name.Any(char.IsControl))
        {
            throw new ArgumentException($"{what} is 1 to {MaxNameLength} characters, without control characters.", paramName);
        }
    }

    private static AuditChange Change(string action, string targetType, Guid id, IReadOnlyDictionary<string, string?>? before, IReadOnlyDictionary<string, string?>? after)
        => new() { Action = action, TargetType = targetType, TargetId = id.ToString(), Before = before, After = after };

    // What the control-plane log shows of a module or a slot: never the PIN or its ciphertext.
    private static Dictionary<string, string?> State(HsmModuleInfo module) => new()
    {
        ["name"] = module.Name,
        ["library_path"] = module.LibraryPath.Length > AuditChange.MaxFieldLength ? module.LibraryPath[..AuditChange.MaxFieldLength] : module.LibraryPath,
    };

    private static Dictionary<string, string?> State(HsmSlotInfo slot) => new()
    {
        ["name"] = slot.Name,
        ["module"] = slot.ModuleName,
        ["token_label"] = slot.TokenLabel,
        ["token_serial"] = slot.TokenSerial,
        ["master_key_id"] = slot.MasterKeyId,
    };

    private ValueTask DemandAsync(CancellationToken cancellationToken)
        => access.DemandAsync(KeyInfraOperation.ManageHsm, cancellationToken);
}
