using KeyInfra.EntityFrameworkCore.Configurations;
using KeyInfra.Storage;

namespace KeyInfra.EntityFrameworkCore.Storage;

/// <summary>
/// Checks HSM records before anything is written: every text within its column, exactly one of the token label and
/// serial, a PIN ciphertext of a plausible size. Values are never echoed (a PIN ciphertext least of all).
/// </summary>
internal static class HsmRecordValidation
{
    public static void CheckModule(HsmModuleRecord hsmModule, string paramName)
    {
        ArgumentNullException.ThrowIfNull(hsmModule, paramName);
        CheckText(hsmModule.Name, ColumnLengths.ShortText, "The module name", paramName);
        CheckText(hsmModule.LibraryPath, ColumnLengths.LibraryPath, "The library path", paramName);
    }

    public static void CheckSlot(HsmSlotRecord slot, string paramName)
    {
        ArgumentNullException.ThrowIfNull(slot, paramName);
        CheckText(slot.Name, ColumnLengths.ShortText, "The slot name", paramName);
        if ((slot.TokenLabel is null) == (slot.TokenSerial is null))
        {
            throw new ArgumentException("An HSM slot names its token by exactly one of TokenLabel and TokenSerial.", paramName);
        }

        if (slot.TokenLabel is not null)
        {
            CheckText(slot.TokenLabel, ColumnLengths.TokenLabel, "The token label", paramName);
        }

        if (slot.TokenSerial is not null)
        {
            CheckText(slot.TokenSerial, ColumnLengths.TokenSerial, "The token serial", paramName);
        }

        CheckPin(slot.EncryptedPin, slot.MasterKeyId, paramName);
    }

    public static void CheckPin(byte[] encryptedPin, string masterKeyId, string paramName)
    {
        ArgumentNullException.ThrowIfNull(encryptedPin, paramName);
        if (encryptedPin.Length is 0 or > ColumnLengths.EncryptedPin)
        {
            throw new ArgumentException($"An HSM slot's PIN ciphertext must be 1 to {ColumnLengths.EncryptedPin} bytes long.", paramName);
        }

        CheckText(masterKeyId, ColumnLengths.MasterKeyId, "The master key id", paramName);
    }

    private static void CheckText(string value, int maxLength, string what, string paramName)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > maxLength)
        {
            throw new ArgumentException($"{what} must be non-blank and at most {maxLength} characters long.", paramName);
        }
    }
}
