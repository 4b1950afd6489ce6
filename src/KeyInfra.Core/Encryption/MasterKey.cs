using System.Security.Cryptography;
using System.Text;

namespace KeyInfra.Encryption;

/// <summary>
/// A 256-bit master key and its id. The master key wraps data keys; it never encrypts data itself.
/// </summary>
/// <remarks>
/// <para>
/// The key bytes are copied into a pinned buffer this object owns and zeroed when the key is disposed.
/// The id is public (it is written into every ciphertext); by default it is a fingerprint of the key.
/// <see cref="ToString"/> shows the id only.
/// </para>
/// <para>
/// Ownership: whoever creates a key owns it until it is passed to a <see cref="MasterKeyRing"/>; from then on
/// the ring owns it, and zeroes it when the last <see cref="MasterKeyRingLease"/> on the ring is released after
/// the ring was superseded (or its source disposed). <see cref="Dispose"/> on a key that a ring owns does
/// nothing. A key belongs to at most one ring. Code that obtains a key from a ring uses it only while it holds
/// the lease it got the ring from, and never keeps it beyond; after that the key may be zeroed at any time.
/// </para>
/// <para>Thread-safe for concurrent use while it is not being disposed.</para>
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

    // Derived once: HKDF costs two HMACs, and a row MAC is checked on every key load.
    private readonly byte[] _subkeys;
    private int _disposed;
    private int _ringOwned;

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

        // The id is checked before any copy of the key exists, so a rejected key leaves nothing to zero.
        Id = id ?? Fingerprint(key);
        if (!IsValidId(Id))
        {
            throw new ArgumentException($"A master key id is 1–{MaxIdLength} characters of letters, digits, '.', '_' or '-'.", nameof(id));
        }

        _key = GC.AllocateArray<byte>(KeySizeBytes, pinned: true);
        key.CopyTo(_key);
        _subkeys = GC.AllocateArray<byte>(MasterKeySubkeys.PurposeCount * MasterKeySubkeys.SubkeySize, pinned: true);
        MasterKeySubkeys.DeriveAll(key, _subkeys);
    }

    // The longest key text read from a secret store's answer (a key is 64 or 44 characters), bounding the stack buffers.
    private const int MaxKeyTextLength = 256;

    /// <summary>
    /// Creates a key from its text form, as a key source reads it from a secret store: exactly 64 hex digits, or
    /// canonical Base64 of 32 bytes (no whitespace). The decoded bytes are zeroed once the key holds its own copy.
    /// </summary>
    /// <param name="text">The key text.</param>
    /// <param name="setting">Names where the text came from in error messages (for example "Vault secret secret/keyinfra, field master_key"); never the value.</param>
    /// <param name="id">The key's id; by default its fingerprint (<see cref="Fingerprint"/>).</param>
    /// <returns>The key; the caller owns it.</returns>
    /// <exception cref="Errors.MasterKeyException">KI2002: the text is not a 32-byte key in either form. The message names <paramref name="setting"/> and what is wrong, never any part of the text.</exception>
    /// <exception cref="ArgumentException"><paramref name="id"/> is not a valid id.</exception>
    public static MasterKey FromText(ReadOnlySpan<char> text, string setting, string? id = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(setting);
        Span<byte> key = stackalloc byte[KeySizeBytes];
        try
        {
            MasterKeyText.ParseKey(text, key, setting);
            return new MasterKey(key, id);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>
    /// Creates a key from its text form as UTF-8 bytes (as a secret store's answer carries it): see
    /// <see cref="FromText(ReadOnlySpan{char}, string, string?)"/>. Every copy made on the way is zeroed.
    /// </summary>
    /// <param name="utf8Text">The key text's bytes; anything outside ASCII is refused.</param>
    /// <param name="setting">Names where the text came from in error messages; never the value.</param>
    /// <param name="id">The key's id; by default its fingerprint.</param>
    /// <returns>The key; the caller owns it.</returns>
    /// <exception cref="Errors.MasterKeyException">KI2002: the text is not a 32-byte key in hex or Base64.</exception>
    public static MasterKey FromUtf8Text(ReadOnlySpan<byte> utf8Text, string setting, string? id = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(setting);
        if (utf8Text.Length > MaxKeyTextLength)
        {
            throw new Errors.MasterKeyException(Errors.ErrorCodes.MasterKeyMalformed, $"The master key in {setting} is {utf8Text.Length} bytes long; a key is 64 hex digits or 44 characters of Base64.");
        }

        Span<char> text = stackalloc char[MaxKeyTextLength];
        try
        {
            for (var i = 0; i < utf8Text.Length; i++)
            {
                if (utf8Text[i] > 0x7F)
                {
                    throw new Errors.MasterKeyException(Errors.ErrorCodes.MasterKeyMalformed, $"The master key in {setting} contains characters outside ASCII; a key is 64 hex digits or Base64 of 32 bytes.");
                }

                text[i] = (char)utf8Text[i];
            }

            return FromText(text[..utf8Text.Length], setting, id);
        }
        finally
        {
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(text).Clear();
        }
    }

    /// <summary>
    /// Creates a key from a JSON string value of a secret store's answer (a field of Vault's <c>data.data</c>, AWS's
    /// <c>SecretString</c>…): the raw value is unescaped into a stack buffer and read as
    /// <see cref="FromUtf8Text"/> reads it, so no <see cref="string"/> ever holds the key; the buffer is zeroed.
    /// </summary>
    /// <param name="value">A JSON string element.</param>
    /// <param name="setting">Names where the value came from in error messages; never the value.</param>
    /// <param name="id">The key's id; by default its fingerprint.</param>
    /// <returns>The key; the caller owns it.</returns>
    /// <exception cref="Errors.MasterKeyException">KI2002: not a string, or not a 32-byte key in hex or Base64.</exception>
    public static MasterKey FromJsonString(System.Text.Json.JsonElement value, string setting, string? id = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(setting);
        if (value.ValueKind != System.Text.Json.JsonValueKind.String)
        {
            throw new Errors.MasterKeyException(Errors.ErrorCodes.MasterKeyMalformed, $"The master key in {setting} is not a JSON string; it must hold the key as 64 hex digits or Base64 of 32 bytes.");
        }

        var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value);
        if (raw.Length > MaxKeyTextLength)
        {
            throw new Errors.MasterKeyException(Errors.ErrorCodes.MasterKeyMalformed, $"The master key in {setting} is {raw.Length} bytes long; a key is 64 hex digits or 44 characters of Base64.");
        }

        Span<byte> utf8 = stackalloc byte[MaxKeyTextLength];
        try
        {
            var reader = new System.Text.Json.Utf8JsonReader(raw);
            reader.Read();
            return FromUtf8Text(utf8[..reader.CopyString(utf8)], setting, id);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(utf8);
        }
    }

    /// <summary>The key's id, written into every ciphertext it wraps.</summary>
    public string Id { get; }

    /// <summary>The key bytes. Valid until the key is disposed.</summary>
    internal ReadOnlySpan<byte> KeyBytes
    {
        get
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            return _key;
        }
    }

    /// <summary>
    /// The subkey for one purpose (HKDF-SHA256 of this key; see <see cref="MasterKeySubkeys"/>). Valid until the key
    /// is disposed; callers follow the same lease rule as for the key itself and never keep a copy.
    /// </summary>
    internal ReadOnlySpan<byte> Subkey(MasterKeyPurpose purpose)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _subkeys.AsSpan((int)purpose * MasterKeySubkeys.SubkeySize, MasterKeySubkeys.SubkeySize);
    }

    /// <summary>
    /// The v1 key check value: HMAC-SHA256 of a fixed label under the key. It reveals nothing about the key and tells
    /// a wrong key from the right one. This release stores the v2 form, under the check-value subkey, which also
    /// carries the database's row authentication state; <see cref="MatchesCheckValue"/> reads both.
    /// </summary>
    public byte[] ComputeCheckValue() => HMACSHA256.HashData(KeyBytes, CheckValueLabel);

    /// <summary>
    /// Whether <paramref name="checkValue"/> is this key's check value (constant-time): the v1 form
    /// (<see cref="ComputeCheckValue"/>) or the v2 form this release stores, which also carries the database's row
    /// authentication state (docs/security/rows.md).
    /// </summary>
    public bool MatchesCheckValue(ReadOnlySpan<byte> checkValue) => MasterKeyCheckValue.Read(this, checkValue).Matches;

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

    /// <summary>Zeroes the key bytes, unless a <see cref="MasterKeyRing"/> owns the key (then its ring zeroes it, and this does nothing).</summary>
    public void Dispose()
    {
        if (Volatile.Read(ref _ringOwned) == 0)
        {
            Zero();
        }
    }

    /// <summary>Hands the key to a ring; <c>false</c> if another ring owns it already or it is disposed.</summary>
    internal bool TryAttachToRing()
        => Volatile.Read(ref _disposed) == 0 && Interlocked.CompareExchange(ref _ringOwned, 1, 0) == 0;

    /// <summary>Zeroes the key bytes, whoever owns the key (its ring calls this when the last lease is released).</summary>
    internal void Zero()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            CryptographicOperations.ZeroMemory(_key);
            CryptographicOperations.ZeroMemory(_subkeys);
        }
    }

    /// <summary>The id only; never the key.</summary>
    public override string ToString() => $"MasterKey({Id})";
}
