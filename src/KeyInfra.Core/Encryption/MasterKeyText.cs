using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using KeyInfra.Errors;
using KeyInfra.Storage;

namespace KeyInfra.Encryption;

/// <summary>
/// Strict parsing of master keys written as text, and derivation from a master secret. Errors name the setting
/// and say what is expected; they never contain the value or any part of it.
/// </summary>
internal static class MasterKeyText
{
    /// <summary>The fixed HKDF salt of <see cref="MasterSecretDerivation.HkdfSha256DevelopmentOnly"/> (UTF-8).</summary>
    public const string SecretSalt = "KeyInfra/v1/master-secret-salt";

    /// <summary>The HKDF info of <see cref="MasterSecretDerivation.HkdfSha256DevelopmentOnly"/> (UTF-8).</summary>
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

    /// <summary>
    /// Derives a master key from a secret with Argon2id under the database's salt and cost (<see cref="MasterSecretKdf"/>).
    /// </summary>
    /// <exception cref="MasterKeyException">KI2002: the secret is shorter than 32 or longer than 4096 characters, or not valid text; KI2006: the salt is unusable.</exception>
    public static void DeriveFromSecretArgon2id(string secret, MasterSecretSalt salt, Span<byte> key, string setting)
    {
        MasterSecretKdf.Check(salt);
        var destination = GC.AllocateArray<byte>(MasterKey.KeySizeBytes, pinned: true);
        try
        {
            WithSecretBytes(secret, setting, bytes => MasterSecretKdf.Derive(bytes, salt, destination));
            destination.CopyTo(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(destination);
        }
    }

    /// <summary>
    /// Derives a master key from a secret the development-only way (<see cref="MasterSecretDerivation.HkdfSha256DevelopmentOnly"/>):
    /// HKDF-SHA256(ikm = UTF-8 secret, salt = <see cref="SecretSalt"/>, info = <see cref="SecretInfo"/>).
    /// </summary>
    /// <exception cref="MasterKeyException">KI2002: the secret is shorter than 32 or longer than 4096 characters, or not valid text.</exception>
    public static void DeriveFromSecretHkdfDevelopmentOnly(string secret, Span<byte> key, string setting)
    {
        var destination = GC.AllocateArray<byte>(MasterKey.KeySizeBytes, pinned: true);
        try
        {
            WithSecretBytes(secret, setting, bytes => HKDF.DeriveKey(HashAlgorithmName.SHA256, bytes, destination, Encoding.UTF8.GetBytes(SecretSalt), Encoding.UTF8.GetBytes(SecretInfo)));
            destination.CopyTo(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(destination);
        }
    }

    /// <summary>Checks a secret's length and text without deriving anything (for validating options at start).</summary>
    /// <exception cref="MasterKeyException">KI2002: the secret is shorter than 32 or longer than 4096 characters, or not valid text.</exception>
    public static void CheckSecret(string secret, string setting) => WithSecretBytes(secret, setting, static _ => { });

    private delegate void SecretBytesAction(ReadOnlySpan<byte> secret);

    /// <summary>Runs <paramref name="action"/> on the secret's strict UTF-8 bytes, in a pinned buffer zeroed afterwards.</summary>
    private static void WithSecretBytes(string secret, string setting, SecretBytesAction action)
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

            action(ikm.AsSpan(0, length));
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
