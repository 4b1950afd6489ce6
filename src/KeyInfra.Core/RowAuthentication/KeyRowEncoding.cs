using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using KeyInfra.Storage;

namespace KeyInfra.RowAuthentication;

/// <summary>
/// The canonical, versioned, length-prefixed encoding of a key row that its MAC covers: every field verification,
/// signing or authorization decides on (docs/security/rows.md, byte by byte). Derived columns (the SPKI SHA-256 and
/// the JWK thumbprint) are not covered: they only narrow a search, and the caller checks each match against the
/// authenticated public key.
/// </summary>
/// <remarks>
/// Layout: the 16 ASCII bytes <c>KeyInfra key row</c>, the format version byte <c>0x01</c>, then each field in
/// ascending tag order as <c>tag (u16 BE) | length (u32 BE) | value</c>. Values: integers big-endian (enums as their
/// stable numeric value, i32); times as microseconds since the Unix epoch, UTC, i64; ids as their 16 bytes in RFC 9562
/// (big-endian) order; strings as strict UTF-8; a nullable value is <c>0x00</c> when absent or <c>0x01</c> followed
/// by the value. Metadata is a u32 count and then each entry in ordinal key order as
/// <c>u32 length | key UTF-8 | u32 length | value UTF-8</c>.
/// </remarks>
internal static class KeyRowEncoding
{
    /// <summary>The format version written after the label.</summary>
    public const byte FormatVersion = 1;

    private static readonly byte[] Label = Encoding.ASCII.GetBytes("KeyInfra key row");

    // Ill-formed UTF-16 cannot be encoded canonically (it would be stored as U+FFFD): refuse rather than guess.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Encodes the fields of <paramref name="record"/> that its MAC covers.</summary>
    /// <exception cref="ArgumentException">A text field holds ill-formed UTF-16 (an unpaired surrogate).</exception>
    public static byte[] Encode(KeyRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var writer = new ArrayBufferWriter<byte>(256 + record.PublicKeyData.Length);
        writer.Write(Label);
        writer.Write([FormatVersion]);

        Guid(writer, KeyRowField.TenantId, record.TenantId);
        Guid(writer, KeyRowField.KeyId, record.Id.Value);
        Int32(writer, KeyRowField.Algorithm, (int)record.Spec.Algorithm);
        Int32(writer, KeyRowField.Curve, (int)record.Spec.Curve);
        Int32(writer, KeyRowField.KeySizeBits, record.Spec.KeySizeBits);
        Int32(writer, KeyRowField.PublicKeyFormat, (int)record.PublicKeyFormat);
        Field(writer, KeyRowField.PublicKeyData, record.PublicKeyData);
        Int32(writer, KeyRowField.Status, (int)record.Status);
        Time(writer, KeyRowField.CreatedAt, record.CreatedAt);
        Time(writer, KeyRowField.ExpiresAt, record.ExpiresAt);
        Time(writer, KeyRowField.RevokedAt, record.RevokedAt);
        Int32(writer, KeyRowField.RevocationReason, record.RevocationReason is { } reason ? (int)reason : null);
        Text(writer, KeyRowField.RingName, record.RingName, nullable: true);
        Int32(writer, KeyRowField.RingVersion, record.RingVersion);
        Int64(writer, KeyRowField.RowVersion, record.Version);
        Int32(writer, KeyRowField.DefaultSignatureEncoding, (int)record.DefaultSignatureEncoding);
        Int32(writer, KeyRowField.DefaultRsaPadding, (int)record.DefaultRsaPadding);
        Int32(writer, KeyRowField.DefaultPssSaltLength, record.DefaultPssSaltLength);
        Text(writer, KeyRowField.Name, record.Name, nullable: false);
        Text(writer, KeyRowField.Owner, record.Owner, nullable: true);
        Metadata(writer, record.Metadata);
        Field(writer, KeyRowField.HasPrivateKey, [record.HasPrivateKey ? (byte)1 : (byte)0]);
        Text(writer, KeyRowField.PrivateKeyBackend, record.HasPrivateKey ? record.PrivateKeyBackend : null, nullable: true);

        // Fields added after format version 1 go here, in tag order, each written only when it is not its default.
        if (record.RequireLowS)
        {
            Field(writer, KeyRowField.RequireLowS, [1]);
        }

        return writer.WrittenSpan.ToArray();
    }

    private static void Field(ArrayBufferWriter<byte> writer, KeyRowField tag, ReadOnlySpan<byte> value)
    {
        var header = writer.GetSpan(6);
        BinaryPrimitives.WriteUInt16BigEndian(header, (ushort)tag);
        BinaryPrimitives.WriteUInt32BigEndian(header[2..], checked((uint)value.Length));
        writer.Advance(6);
        writer.Write(value);
    }

    private static void Guid(ArrayBufferWriter<byte> writer, KeyRowField tag, Guid value)
    {
        Span<byte> bytes = stackalloc byte[16];
        value.TryWriteBytes(bytes, bigEndian: true, out _);
        Field(writer, tag, bytes);
    }

    private static void Int32(ArrayBufferWriter<byte> writer, KeyRowField tag, int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        Field(writer, tag, bytes);
    }

    private static void Int32(ArrayBufferWriter<byte> writer, KeyRowField tag, int? value)
    {
        Span<byte> bytes = stackalloc byte[5];
        if (value is not { } v)
        {
            Field(writer, tag, [0]);
            return;
        }

        bytes[0] = 1;
        BinaryPrimitives.WriteInt32BigEndian(bytes[1..], v);
        Field(writer, tag, bytes);
    }

    private static void Int64(ArrayBufferWriter<byte> writer, KeyRowField tag, long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        Field(writer, tag, bytes);
    }

    private static void Time(ArrayBufferWriter<byte> writer, KeyRowField tag, DateTimeOffset value)
        => Int64(writer, tag, Microseconds(value));

    private static void Time(ArrayBufferWriter<byte> writer, KeyRowField tag, DateTimeOffset? value)
    {
        Span<byte> bytes = stackalloc byte[9];
        if (value is not { } v)
        {
            Field(writer, tag, [0]);
            return;
        }

        bytes[0] = 1;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..], Microseconds(v));
        Field(writer, tag, bytes);
    }

    private static void Text(ArrayBufferWriter<byte> writer, KeyRowField tag, string? value, bool nullable)
    {
        if (value is null)
        {
            if (!nullable)
            {
                throw new ArgumentException($"The key row field {tag} is required.", nameof(value));
            }

            Field(writer, tag, [0]);
            return;
        }

        var utf8 = ToUtf8(value);
        if (!nullable)
        {
            Field(writer, tag, utf8);
            return;
        }

        var bytes = new byte[utf8.Length + 1];
        bytes[0] = 1;
        utf8.CopyTo(bytes, 1);
        Field(writer, tag, bytes);
    }

    private static void Metadata(ArrayBufferWriter<byte> writer, IReadOnlyDictionary<string, string> metadata)
    {
        var body = new ArrayBufferWriter<byte>();
        var count = body.GetSpan(4);
        BinaryPrimitives.WriteUInt32BigEndian(count, checked((uint)metadata.Count));
        body.Advance(4);
        foreach (var (key, value) in metadata.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            LengthPrefixed(body, ToUtf8(key));
            LengthPrefixed(body, ToUtf8(value));
        }

        Field(writer, KeyRowField.Metadata, body.WrittenSpan);
    }

    private static void LengthPrefixed(ArrayBufferWriter<byte> writer, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(writer.GetSpan(4), checked((uint)value.Length));
        writer.Advance(4);
        writer.Write(value);
    }

    private static byte[] ToUtf8(string value)
    {
        try
        {
            return StrictUtf8.GetBytes(value);
        }
        catch (EncoderFallbackException ex)
        {
            throw new ArgumentException("A key's text (name, owner, ring, metadata) holds ill-formed UTF-16 (an unpaired surrogate) and cannot be stored faithfully. Correct the text.", nameof(value), ex);
        }
    }

    internal static long Microseconds(DateTimeOffset value) => (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;
}
