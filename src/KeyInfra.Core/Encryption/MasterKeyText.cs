using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using KeyInfra.Errors;

namespace KeyInfra.Encryption;

/// <summary>
/// Strict parsing of master keys written as text, and derivation from a master secret. Errors name the setting
/// and say what is expected; they never contain the value or any part of it.
/// </summary>
internal static class MasterKeyText
{
    /// <summary>The HKDF salt for <see cref="EnvironmentMasterKeyOptions.MasterSecret"/> (UTF-8).</summary>
    public const string SecretSalt = "KeyInfra/v1/master-secret-salt";

    /// <summary>The HKDF info for <see cref="EnvironmentMasterKeyOptions.MasterSecret"/> (UTF-8).</summary>
    public const string SecretInfo = "KeyInfra/v1/master-key";

    /// <summary>The longest master secret accepted, in characters; checked before it is encoded.</summary>
    public const int MaxSecretLength = 4096;

    private const int HexLength = MasterKey.KeySizeBytes * 2;
    private const int Base64Length = (MasterKey.KeySizeBytes + 2) / 3 * 4;

    internal const string GenerateHint = "Generate a key with: openssl rand -base64 32";

    /// <summary>
    /// Decodes a 32-byte key written as exactly 64 hex digits or as canonical Base64 into <paramref name="key"/>.
    /// </summary>
    /// <param name="text">The key text.</param>
    /// <param name="key">Receives the 32 key bytes; left zeroed on failure.</param>
    /// <param name="setting">Names the setting in error messages, e.g. "KEYINFRA_MASTER_KEY (EnvironmentMasterKeyOptions.MasterKey)".</param>
    /// <exception cref="MasterKeyException">KI2002: the text is not a 32-byte key in either form.</exception>
    public static void ParseKey(ReadOnlySpan<char> text, Span<byte> key, string setting)
    {
        if (key.Length != MasterKey.KeySizeBytes)
        {
            throw new ArgumentException("The destination is not the size of a master key.", nameof(key));
        }

        key.Clear();
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                throw Malformed(setting, "contains whitespace or a line break (a trailing newline from a file or a copy-paste is the usual cause); remove it");
            }
        }

        var ok = text.Length switch
        {
            HexLength => TryParseHex(text, key),
            Base64Length => TryParseBase64(text, key),
            _ => throw Malformed(setting, $"is {text.Length} characters long"),
        };

        if (!ok)
        {
            key.Clear();
            throw Malformed(setting, text.Length == HexLength
                ? "is 64 characters long but not 64 hex digits"
                : "is 44 characters long but not canonical Base64 of 32 bytes (standard alphabet, one '=' of padding)");
        }
    }

    /// <summary>Derives a master key from a secret: HKDF-SHA256(ikm = UTF-8 secret, salt = <see cref="SecretSalt"/>, info = <see cref="SecretInfo"/>).</summary>
    /// <exception cref="MasterKeyException">KI2002: the secret is shorter than 32 or longer than 4096 characters, or not valid text.</exception>
    public static void DeriveFromSecret(string secret, Span<byte> key, string setting)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length < EnvironmentMasterKeyOptions.MinMasterSecretLength)
        {
            throw new MasterKeyException(
                ErrorCodes.MasterKeyMalformed,
                $"The master secret {setting} is shorter than {EnvironmentMasterKeyOptions.MinMasterSecretLength} characters. " +
                "A derived key is only as strong as its secret, and the database holds what an attacker needs to test guesses offline: " +
                "use a long random secret (openssl rand -base64 32), or a master key in KEYINFRA_MASTER_KEY instead.");
        }

        if (secret.Length > MaxSecretLength)
        {
            throw new MasterKeyException(ErrorCodes.MasterKeyMalformed, $"The master secret {setting} is longer than {MaxSecretLength} characters.");
        }

        var ikm = GC.AllocateArray<byte>(secret.Length * 3, pinned: true);
        try
        {
            int length;
            try
            {
                length = new UTF8Encoding(false, throwOnInvalidBytes: true).GetBytes(secret, ikm);
            }
            catch (EncoderFallbackException)
            {
                throw new MasterKeyException(ErrorCodes.MasterKeyMalformed, $"The master secret {setting} is not valid text (it contains a lone UTF-16 surrogate).");
            }

            HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm.AsSpan(0, length), key, Encoding.UTF8.GetBytes(SecretSalt), Encoding.UTF8.GetBytes(SecretInfo));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ikm);
        }
    }

    private static bool TryParseHex(ReadOnlySpan<char> text, Span<byte> key)
        => Convert.FromHexString(text, key, out var consumed, out var written) == OperationStatus.Done
           && consumed == HexLength && written == MasterKey.KeySizeBytes;

    private static bool TryParseBase64(ReadOnlySpan<char> text, Span<byte> key)
    {
        // Exactly one '=' means exactly 32 bytes; "==" would be 31 and none 33.
        if (text[^1] != '=' || text[^2] == '=')
        {
            return false;
        }

        if (!Convert.TryFromBase64Chars(text, key, out var written) || written != MasterKey.KeySizeBytes)
        {
            return false;
        }

        // The decoder ignores the unused low bits of the last symbol; re-encoding rejects every other spelling.
        Span<char> canonical = stackalloc char[Base64Length];
        try
        {
            return Convert.TryToBase64Chars(key, canonical, out var chars)
                   && chars == Base64Length
                   && CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(canonical), MemoryMarshal.AsBytes(text));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(canonical));
        }
    }

    private static MasterKeyException Malformed(string setting, string why) => new(
        ErrorCodes.MasterKeyMalformed,
        $"The master key in {setting} {why}. A master key is 32 random bytes written as exactly 64 hex digits " +
        $"or as 44 characters of canonical Base64 ending in '='. {GenerateHint}");
}
