using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using KeyInfra.Errors;
using Microsoft.Extensions.Options;

namespace KeyInfra.Identity;

/// <summary>The engine's <see cref="ICredentialHasher"/>: PBKDF2-HMAC-SHA256 from the platform (<see cref="Rfc2898DeriveBytes.Pbkdf2(ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte}, int, HashAlgorithmName)"/>).</summary>
internal sealed class Pbkdf2CredentialHasher(IOptions<KeyInfraOptions> options) : ICredentialHasher
{
    public const string Prefix = "pbkdf2_sha256:";
    public const string LegacyPrefix = "sha256:";
    public const int SaltSize = 16;
    public const int HashSize = 32;
    public const int MaxSecretLength = 1024;
    private const int MinSaltSize = 16;
    private const int MaxSaltSize = 64;

    // "pbkdf2_sha256:" + 8 digits + ":" + 128 hex + ":" + 64 hex: nothing longer is parsed.
    private const int MaxHashLength = 14 + 8 + 1 + (2 * MaxSaltSize) + 1 + (2 * HashSize);

    private readonly IOptions<KeyInfraOptions> _options = options;

    public string Hash(ReadOnlySpan<char> secret)
    {
        var iterations = _options.Value.CredentialHashing.Iterations;
        Span<byte> salt = stackalloc byte[SaltSize];
        RandomNumberGenerator.Fill(salt);
        Span<byte> hash = stackalloc byte[HashSize];
        Derive(secret, salt, iterations, hash);
        var text = string.Create(CultureInfo.InvariantCulture, $"{Prefix}{iterations}:{Convert.ToHexStringLower(salt)}:{Convert.ToHexStringLower(hash)}");
        CryptographicOperations.ZeroMemory(hash);
        return text;
    }

    public CredentialCheck Verify(ReadOnlySpan<char> secret, string storedHash)
    {
        ArgumentNullException.ThrowIfNull(storedHash);
        Span<byte> salt = stackalloc byte[MaxSaltSize];
        Span<byte> expected = stackalloc byte[HashSize];
        var (iterations, saltLength) = Parse(storedHash, salt, expected);
        if (secret.IsEmpty || secret.Length > MaxSecretLength || Keys.KeyRequestValidator.IndexOfUnpairedSurrogate(secret) >= 0)
        {
            // What a caller presents is input, not a programming error: it simply does not match.
            return CredentialCheck.Failed;
        }

        Span<byte> actual = stackalloc byte[HashSize];
        try
        {
            Derive(secret, salt[..saltLength], iterations, actual);
            if (!CryptographicOperations.FixedTimeEquals(actual, expected))
            {
                return CredentialCheck.Failed;
            }

            return iterations < _options.Value.CredentialHashing.Iterations ? CredentialCheck.SucceededRehashNeeded : CredentialCheck.Succeeded;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(actual);
        }
    }

    /// <summary>PBKDF2-HMAC-SHA256 of the UTF-8 <paramref name="secret"/>; the UTF-8 copy is zeroed.</summary>
    internal static void Derive(ReadOnlySpan<char> secret, ReadOnlySpan<byte> salt, int iterations, Span<byte> destination)
    {
        if (secret.IsEmpty || secret.Length > MaxSecretLength)
        {
            throw new ArgumentException($"A secret or password is 1 to {MaxSecretLength} characters.", nameof(secret));
        }

        if (Keys.KeyRequestValidator.IndexOfUnpairedSurrogate(secret) >= 0)
        {
            throw new ArgumentException("The secret is not valid text (it holds a lone surrogate).", nameof(secret));
        }

        // Pinned, so the garbage collector makes no copy of the secret's bytes before they are zeroed.
        var utf8 = GC.AllocateArray<byte>(Encoding.UTF8.GetMaxByteCount(secret.Length), pinned: true);
        try
        {
            var written = Encoding.UTF8.GetBytes(secret, utf8);
            Rfc2898DeriveBytes.Pbkdf2(utf8.AsSpan(0, written), salt, destination, iterations, HashAlgorithmName.SHA256);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(utf8);
        }
    }

    /// <summary>Parses a stored hash strictly into its iteration count, salt and hash; nothing is derived before it passes.</summary>
    private static (int Iterations, int SaltLength) Parse(string stored, Span<byte> salt, Span<byte> hash)
    {
        if (stored.StartsWith(LegacyPrefix, StringComparison.Ordinal))
        {
            throw new CredentialHashException(
                ErrorCodes.LegacyCredentialHashRefused,
                "The stored credential hash is a legacy 'sha256:' hash (one round of SHA-256), which is refused: it is too cheap to guess. " +
                "Rotate the secret (issue a new application credential, or have the user set a new password); the new one is hashed with PBKDF2.");
        }

        if (stored.Length > MaxHashLength || !stored.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw Malformed("it does not start with 'pbkdf2_sha256:' or is too long");
        }

        var rest = stored.AsSpan(Prefix.Length);
        Span<Range> parts = stackalloc Range[4];
        if (rest.Split(parts, ':') != 3)
        {
            throw Malformed("it does not have the three fields <iterations>:<salt_hex>:<hash_hex>");
        }

        var count = rest[parts[0]];
        if (count.IsEmpty || count.Length > 8 || count[0] == '0' || !IsDigits(count)
            || int.Parse(count, NumberStyles.None, CultureInfo.InvariantCulture) is var iterations && iterations is < CredentialHashingOptions.MinIterations or > CredentialHashingOptions.MaxIterations)
        {
            throw Malformed($"the iteration count is not a decimal number from {CredentialHashingOptions.MinIterations} to {CredentialHashingOptions.MaxIterations}");
        }

        var saltHex = rest[parts[1]];
        if (saltHex.Length % 2 != 0 || saltHex.Length / 2 is < MinSaltSize or > MaxSaltSize || !IsLowerHex(saltHex))
        {
            throw Malformed($"the salt is not {MinSaltSize}–{MaxSaltSize} bytes of lowercase hex");
        }

        var hashHex = rest[parts[2]];
        if (hashHex.Length != 2 * HashSize || !IsLowerHex(hashHex))
        {
            throw Malformed($"the hash is not {HashSize} bytes of lowercase hex");
        }

        Convert.FromHexString(saltHex, salt, out _, out var saltLength);
        Convert.FromHexString(hashHex, hash, out _, out _);
        return (iterations, saltLength);
    }

    private static bool IsDigits(ReadOnlySpan<char> text) => !text.ContainsAnyExceptInRange('0', '9');

    private static bool IsLowerHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
    }

    private static CredentialHashException Malformed(string why) => new(
        ErrorCodes.CredentialHashMalformed,
        $"The stored credential hash is malformed: {why}. Expected 'pbkdf2_sha256:<iterations>:<salt_hex>:<hash_hex>'. " +
        "The row was changed outside KeyInfra or written by another system: set the credential again.");
}
