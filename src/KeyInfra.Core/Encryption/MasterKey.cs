using System.Security.Cryptography;
using System.Text;

namespace KeyInfra.Encryption;

/// <summary>
/// A 256-bit master key and its id. The master key wraps data keys; it never encrypts data itself.
/// </summary>
/// <remarks>
/// The key bytes are copied into a buffer this object owns and zeroed by <see cref="Dispose"/>.
/// The id is public (it is written into every ciphertext); by default it is a fingerprint of the key.
/// <see cref="ToString"/> shows the id only. Key sources own the instances they return.
/// </remarks>
public sealed class MasterKey : IDisposable
{
    /// <summary>The length of a master key in bytes.</summary>
    public const int KeySizeBytes = 32;

    /// <summary>The longest id accepted (ids are written into each ciphertext).</summary>
    public const int MaxIdLength = 64;

    private static readonly byte[] FingerprintLabel = Encoding.ASCII.GetBytes("KeyInfra master key id v1");
    private static readonly byte[] CheckValueLabel = Encoding.ASCII.GetBytes("KeyInfra key check value v1");

    private readonly byte[] _key;
    private bool _disposed;

    /// <summary>Creates a master key from 32 bytes; the id defaults to the key's fingerprint.</summary>
    /// <param name="key">The key: exactly 32 bytes. Copied; the caller should zero its own copy.</param>
    /// <param name="id">An id of 1–64 characters from [A-Za-z0-9._-], or <c>null</c> for the fingerprint.</param>
    /// <exception cref="ArgumentException">The key is not 32 bytes, or the id is invalid.</exception>
    public MasterKey(ReadOnlySpan<byte> key, string? id = null)
    {
        if (key.Length != KeySizeBytes)
        {
            throw new ArgumentException($"A master key is exactly {KeySizeBytes} bytes (256 bits); this one is {key.Length}.", nameof(key));
        }

        _key = GC.AllocateArray<byte>(KeySizeBytes, pinned: true);
        key.CopyTo(_key);
        Id = id ?? Fingerprint(key);
        if (!IsValidId(Id))
        {
            throw new ArgumentException($"A master key id is 1–{MaxIdLength} characters of letters, digits, '.', '_' or '-'.", nameof(id));
        }
    }

    /// <summary>The key's id, written into every ciphertext it wraps.</summary>
    public string Id { get; }

    /// <summary>The key bytes. Valid until the key is disposed.</summary>
    internal ReadOnlySpan<byte> KeyBytes
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _key;
        }
    }

    /// <summary>
    /// The key check value stored beside the data: HMAC-SHA256 of a fixed label under the key.
    /// It reveals nothing about the key and tells a wrong key from the right one at start.
    /// </summary>
    public byte[] ComputeCheckValue() => HMACSHA256.HashData(KeyBytes, CheckValueLabel);

    /// <summary>Whether <paramref name="checkValue"/> is this key's check value (constant-time).</summary>
    public bool MatchesCheckValue(ReadOnlySpan<byte> checkValue)
    {
        Span<byte> mine = stackalloc byte[32];
        HMACSHA256.HashData(KeyBytes, CheckValueLabel, mine);
        return CryptographicOperations.FixedTimeEquals(mine, checkValue);
    }

    /// <summary>The default id of a key: 16 hex digits of HMAC-SHA256 of a fixed label under the key.</summary>
    public static string Fingerprint(ReadOnlySpan<byte> key)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, FingerprintLabel, mac);
        return Convert.ToHexStringLower(mac[..8]);
    }

    /// <summary>Whether <paramref name="id"/> is a valid master key id.</summary>
    public static bool IsValidId(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxIdLength)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Zeroes the key bytes.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            CryptographicOperations.ZeroMemory(_key);
            _disposed = true;
        }
    }

    /// <summary>The id only; never the key.</summary>
    public override string ToString() => $"MasterKey({Id})";
}
