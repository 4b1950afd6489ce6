using System.Buffers.Binary;
using System.Text;
using KeyInfra.Errors;

namespace KeyInfra.Encryption;

/// <summary>
/// The v1 envelope ciphertext format and its associated data; docs/security.md describes both byte by byte.
/// </summary>
/// <remarks>
/// <code>
/// version(1)=0x01 | idLen(1) | masterKeyId(idLen, ASCII) | wrapNonce(12) | wrappedDek(32) | wrapTag(16)
///                 | dataNonce(12) | dataTag(16) | ciphertext(n)
/// </code>
/// </remarks>
internal static class EnvelopeFormat
{
    public const byte Version1 = 0x01;

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

        if (ciphertext[0] != Version1)
        {
            throw Malformed($"its format version is {ciphertext[0]}, and this version of KeyInfra reads version {Version1} only. If it was written by a newer KeyInfra, upgrade this host");
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

        return new EnvelopeHeader(Encoding.ASCII.GetString(idBytes), idLength, ciphertext.Length);
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

    /// <summary>Associated data of the data-key wrap: label | version | idLen | id | context.</summary>
    public static byte[] DataKeyAssociatedData(byte version, ReadOnlySpan<byte> masterKeyId, ReadOnlySpan<byte> encodedContext)
    {
        var result = new byte[DataKeyLabel.Length + 2 + masterKeyId.Length + encodedContext.Length];
        var span = result.AsSpan();
        DataKeyLabel.CopyTo(span);
        span = span[DataKeyLabel.Length..];
        span[0] = version;
        span[1] = (byte)masterKeyId.Length;
        masterKeyId.CopyTo(span[2..]);
        encodedContext.CopyTo(span[(2 + masterKeyId.Length)..]);
        return result;
    }

    /// <summary>
    /// Associated data of the data: label | version | context. Not the master key id, so the data key can be
    /// re-wrapped under another master key without touching the data.
    /// </summary>
    public static byte[] DataAssociatedData(byte version, ReadOnlySpan<byte> encodedContext)
    {
        var result = new byte[DataLabel.Length + 1 + encodedContext.Length];
        DataLabel.CopyTo(result.AsSpan());
        result[DataLabel.Length] = version;
        encodedContext.CopyTo(result.AsSpan(DataLabel.Length + 1));
        return result;
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
