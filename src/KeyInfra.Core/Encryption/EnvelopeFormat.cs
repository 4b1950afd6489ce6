using System.Buffers.Binary;
using System.Text;
using KeyInfra.Errors;

namespace KeyInfra.Encryption;

/// <summary>
/// The envelope ciphertext formats and their associated data; docs/security/envelope.md describes them byte by byte.
/// </summary>
/// <remarks>
/// <code>
/// version(1) | idLen(1) | masterKeyId(idLen, ASCII) | wrapNonce(12) | wrappedDek(32) | wrapTag(16)
///            | dataNonce(12) | dataTag(16) | ciphertext(n)
/// </code>
/// Both versions share this layout; they differ in what wraps the data key and in the associated data.
/// v1 (0x01, read and re-wrapped only): the data key is wrapped under the master key itself, and the associated data
/// binds the context. v2 (0x02, every new write): the data key is wrapped under the master key's
/// <see cref="MasterKeyPurpose.DataKeyWrap"/> subkey, and both associated data also bind the context's
/// <see cref="EncryptionContext.Binding"/> (for a private key: its spec and the SHA-256 of its public key).
/// </remarks>
internal static class EnvelopeFormat
{
    public const byte Version1 = 0x01;

    public const byte Version2 = 0x02;

    /// <summary>The longest <see cref="EncryptionContext.Binding"/>, in bytes.</summary>
    public const int MaxBindingBytes = 1024;

    public const int NonceSize = 12;

    public const int TagSize = 16;

    public const int DataKeySize = 32;

    /// <summary>The largest secret encrypted: far above any private key or PIN, small enough to bound allocations.</summary>
    public const int MaxPlaintextSize = 1024 * 1024;

    /// <summary>Every byte of a v1 ciphertext except the id and the encrypted data.</summary>
    public const int FixedOverhead = 2 + NonceSize + DataKeySize + TagSize + NonceSize + TagSize;

    /// <summary>The shortest possible ciphertext: a one-character id and an empty secret.</summary>
    public const int MinLength = FixedOverhead + 1;

    /// <summary>The longest possible ciphertext: a 64-character id and a 1 MiB secret.</summary>
    public const int MaxLength = FixedOverhead + MasterKey.MaxIdLength + MaxPlaintextSize;

    /// <summary>The longest table or column name bound into the associated data, in UTF-8 bytes.</summary>
    public const int MaxNameBytes = 256;

    private static readonly byte[] DataKeyLabel = Encoding.ASCII.GetBytes("KeyInfra/v1/dek");
    private static readonly byte[] DataLabel = Encoding.ASCII.GetBytes("KeyInfra/v1/data");
    private static readonly byte[] DataKeyLabelV2 = Encoding.ASCII.GetBytes("KeyInfra/v2/dek");
    private static readonly byte[] DataLabelV2 = Encoding.ASCII.GetBytes("KeyInfra/v2/data");

    // Throws on lone surrogates instead of replacing them with U+FFFD, which would map two names to one encoding.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The total length of a ciphertext for an id and a plaintext of the given lengths.</summary>
    public static int GetLength(int idLength, int plaintextLength) => FixedOverhead + idLength + plaintextLength;

    /// <summary>Parses and checks the structure of a ciphertext; does not authenticate anything.</summary>
    /// <exception cref="EncryptedDataException">KI2101: empty, truncated, too long, unknown version, or a bad id.</exception>
    public static EnvelopeHeader Parse(ReadOnlySpan<byte> ciphertext)
    {
        if (ciphertext.Length < 2)
        {
            throw Malformed($"it is {ciphertext.Length} bytes long, shorter than any KeyInfra ciphertext ({MinLength} bytes at least)");
        }

        if (ciphertext[0] is not (Version1 or Version2))
        {
            throw Malformed($"its format version is {ciphertext[0]}, and this version of KeyInfra reads versions {Version1} and {Version2} only. If it was written by a newer KeyInfra, upgrade this host");
        }

        int idLength = ciphertext[1];
        if (idLength is < 1 or > MasterKey.MaxIdLength)
        {
            throw Malformed($"its master key id length is {idLength}, outside 1–{MasterKey.MaxIdLength}");
        }

        var minimum = GetLength(idLength, 0);
        if (ciphertext.Length < minimum)
        {
            throw Malformed($"it is truncated: {ciphertext.Length} bytes, where its header alone needs {minimum}");
        }

        if (ciphertext.Length > MaxLength)
        {
            throw Malformed($"it is {ciphertext.Length} bytes long, more than the largest KeyInfra ciphertext ({MaxLength} bytes)");
        }

        var idBytes = ciphertext.Slice(EnvelopeHeader.IdOffset, idLength);
        foreach (var b in idBytes)
        {
            if (!(char.IsAsciiLetterOrDigit((char)b) || b is (byte)'.' or (byte)'_' or (byte)'-'))
            {
                throw Malformed("its master key id contains characters a master key id cannot have");
            }
        }

        return new EnvelopeHeader(Encoding.ASCII.GetString(idBytes), idLength, ciphertext.Length) { Version = ciphertext[0] };
    }

    /// <summary>
    /// The canonical encoding of a context: tenant (16 bytes, big-endian UUID) | u16 length | table (UTF-8)
    /// | u16 length | column (UTF-8) | row (16 bytes, big-endian UUID). Lengths are big-endian.
    /// </summary>
    /// <exception cref="ArgumentException">The table or column is empty, too long, or not valid UTF-16.</exception>
    public static byte[] EncodeContext(in EncryptionContext context)
    {
        var table = EncodeName(context.Table, nameof(EncryptionContext.Table));
        var column = EncodeName(context.Column, nameof(EncryptionContext.Column));
        var result = new byte[16 + 2 + table.Length + 2 + column.Length + 16];
        var span = result.AsSpan();
        context.TenantId.TryWriteBytes(span[..16], bigEndian: true, out _);
        span = span[16..];
        BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)table.Length);
        table.CopyTo(span[2..]);
        span = span[(2 + table.Length)..];
        BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)column.Length);
        column.CopyTo(span[2..]);
        span = span[(2 + column.Length)..];
        context.RowId.TryWriteBytes(span, bigEndian: true, out _);
        return result;
    }

    /// <summary>
    /// Associated data of the data-key wrap. v1: "KeyInfra/v1/dek" | version | idLen | id | context.
    /// v2: "KeyInfra/v2/dek" | version | idLen | id | context | u16 len(binding) | binding.
    /// </summary>
    public static byte[] DataKeyAssociatedData(byte version, ReadOnlySpan<byte> masterKeyId, ReadOnlySpan<byte> encodedContext, ReadOnlySpan<byte> binding)
    {
        var label = version == Version1 ? DataKeyLabel : DataKeyLabelV2;
        var bindingPart = version == Version1 ? 0 : 2 + binding.Length;
        var result = new byte[label.Length + 2 + masterKeyId.Length + encodedContext.Length + bindingPart];
        var span = result.AsSpan();
        label.CopyTo(span);
        span = span[label.Length..];
        span[0] = version;
        span[1] = (byte)masterKeyId.Length;
        masterKeyId.CopyTo(span[2..]);
        encodedContext.CopyTo(span[(2 + masterKeyId.Length)..]);
        if (version != Version1)
        {
            WriteBinding(span[(2 + masterKeyId.Length + encodedContext.Length)..], binding);
        }

        return result;
    }

    /// <summary>
    /// Associated data of the data. v1: "KeyInfra/v1/data" | version | context. v2: "KeyInfra/v2/data" | version
    /// | context | u16 len(binding) | binding. Not the master key id, so the data key can be re-wrapped under another
    /// master key without touching the data.
    /// </summary>
    public static byte[] DataAssociatedData(byte version, ReadOnlySpan<byte> encodedContext, ReadOnlySpan<byte> binding)
    {
        var label = version == Version1 ? DataLabel : DataLabelV2;
        var bindingPart = version == Version1 ? 0 : 2 + binding.Length;
        var result = new byte[label.Length + 1 + encodedContext.Length + bindingPart];
        label.CopyTo(result.AsSpan());
        result[label.Length] = version;
        encodedContext.CopyTo(result.AsSpan(label.Length + 1));
        if (version != Version1)
        {
            WriteBinding(result.AsSpan(label.Length + 1 + encodedContext.Length), binding);
        }

        return result;
    }

    /// <summary>Checks that a binding fits the format.</summary>
    /// <exception cref="ArgumentException">The binding is longer than <see cref="MaxBindingBytes"/>.</exception>
    public static void CheckBinding(ReadOnlySpan<byte> binding)
    {
        if (binding.Length > MaxBindingBytes)
        {
            throw new ArgumentException($"The encryption context's binding is {binding.Length} bytes, longer than {MaxBindingBytes}.", nameof(binding));
        }
    }

    private static void WriteBinding(Span<byte> destination, ReadOnlySpan<byte> binding)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)binding.Length);
        binding.CopyTo(destination[2..]);
    }

    private static byte[] EncodeName(string name, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(name, what);
        if (name.Length > MaxNameBytes)
        {
            throw new ArgumentException($"The encryption context's {what} is longer than {MaxNameBytes} bytes.", what);
        }

        byte[] bytes;
        try
        {
            bytes = StrictUtf8.GetBytes(name);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"The encryption context's {what} is not valid UTF-16 text.", what, e);
        }

        return bytes.Length <= MaxNameBytes
            ? bytes
            : throw new ArgumentException($"The encryption context's {what} is longer than {MaxNameBytes} bytes.", what);
    }

    private static EncryptedDataException Malformed(string why) => new(
        ErrorCodes.CiphertextMalformed,
        $"The encrypted data cannot be read: {why}. It is not a KeyInfra ciphertext or was damaged; restore it from a backup.");
}
