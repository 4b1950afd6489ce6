using System.Buffers.Binary;
using System.Text;
using KeyInfra.Encryption;
using KeyInfra.Errors;
using KeyInfra.Pkcs11.Errors;
using KeyInfra.Storage;
using Microsoft.Extensions.Logging;

namespace KeyInfra.Pkcs11.Slots;

/// <summary>
/// The envelope encryption of slot PINs: <c>EncryptionContext(tenant, "hsm_slots", "pin", slot id)</c> with a binding
/// to the module's name and the token's label or serial, so a ciphertext copied to another slot row, or a row pointed at
/// another module or token, does not decrypt (a database writer gets a decryption failure, not a login).
/// </summary>
/// <remarks>
/// Binding (version 1): <c>0x01 | u16 BE length | module name (UTF-8) | 0x01 label or 0x02 serial | u16 BE length | value (UTF-8)</c>.
/// Decrypted PINs are returned to the caller, who zeroes them after the login. Thread-safe.
/// </remarks>
internal sealed class SlotPins(IEnvelopeEncryptor? encryptor, ILogger<SlotPins> logger)
{
    public const string Table = "hsm_slots";
    public const string Column = "pin";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static EncryptionContext ContextFor(Guid tenantId, Guid slotId, string moduleName, string? tokenLabel, string? tokenSerial)
    {
        var module = StrictUtf8.GetBytes(moduleName);
        var token = StrictUtf8.GetBytes(tokenLabel ?? tokenSerial ?? throw new ArgumentException("A slot names its token by label or serial."));
        var binding = new byte[1 + 2 + module.Length + 1 + 2 + token.Length];
        var span = binding.AsSpan();
        span[0] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(span[1..], checked((ushort)module.Length));
        module.CopyTo(span[3..]);
        var at = 3 + module.Length;
        span[at] = tokenLabel is not null ? (byte)1 : (byte)2;
        BinaryPrimitives.WriteUInt16BigEndian(span[(at + 1)..], checked((ushort)token.Length));
        token.CopyTo(span[(at + 3)..]);
        return new EncryptionContext(tenantId, Table, Column, slotId) { Binding = binding };
    }

    public static EncryptionContext ContextFor(HsmSlotRecord slot, HsmModuleRecord module)
        => ContextFor(slot.TenantId, slot.Id, module.Name, slot.TokenLabel, slot.TokenSerial);

    public async ValueTask<(byte[] Ciphertext, string MasterKeyId)> EncryptAsync(ReadOnlyMemory<byte> pin, EncryptionContext context, CancellationToken cancellationToken)
    {
        var envelope = Require();
        var ciphertext = await envelope.EncryptAsync(pin, context, cancellationToken).ConfigureAwait(false);
        return (ciphertext, envelope.GetMasterKeyId(ciphertext));
    }

    /// <summary>The slot's PIN; the caller zeroes it.</summary>
    /// <exception cref="HsmException">KI6017: it does not decrypt for this slot and token, or no master key source is registered.</exception>
    public async ValueTask<byte[]> DecryptAsync(HsmSlotRecord slot, HsmModuleRecord module, CancellationToken cancellationToken)
    {
        var envelope = Require();
        try
        {
            return await envelope.DecryptAsync(slot.EncryptedPin, ContextFor(slot, module), cancellationToken).ConfigureAwait(false);
        }
        catch (EncryptedDataException e)
        {
            Log.PinDecryptionFailed(logger, slot.Id, slot.TenantId, e);
            throw new HsmException(Pkcs11ErrorCodes.PinDecryptionFailed,
                $"The PIN of HSM slot '{slot.Name}' ({slot.Id}) does not decrypt ({e.ErrorCode}): it was encrypted for another slot row, module or token, or under a master key this host does not have. " +
                "KeyInfra does not log in with it. Set the slot's PIN again (remove and add the slot), or restore the row from a backup.", null, e);
        }
    }

    /// <summary>Re-wraps a slot's PIN under the current master key without decrypting it.</summary>
    public async ValueTask<byte[]> RewrapAsync(HsmSlotRecord slot, HsmModuleRecord module, CancellationToken cancellationToken)
        => await Require().RewrapAsync(slot.EncryptedPin, ContextFor(slot, module), cancellationToken).ConfigureAwait(false);

    public string MasterKeyIdOf(byte[] ciphertext) => Require().GetMasterKeyId(ciphertext);

    private IEnvelopeEncryptor Require()
        => encryptor ?? throw new HsmException(Pkcs11ErrorCodes.PinDecryptionFailed,
            "No master key source is registered, so HSM slot PINs can be neither encrypted nor decrypted. Call UseEnvironmentMasterKey() (or UseVaultMasterKey(), …) when registering KeyInfra.");
}
