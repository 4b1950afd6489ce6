using System.Buffers.Binary;
using System.Text;
using KeyInfra.Pkcs11.Errors;

namespace KeyInfra.Pkcs11.Keys;

/// <summary>
/// What a PKCS#11 key's private-key record stores (<c>private_keys.key_material</c>): the <c>CKA_ID</c> and
/// <c>CKA_LABEL</c> of its private-key object in the slot's token. Not secret, and not trusted: the database may have
/// been rewritten, so it is parsed strictly, and the object it finds is used only if it belongs to the key row's
/// authenticated public key.
/// </summary>
/// <remarks>
/// Encoding, version 1: <c>0x01 | u16 BE id length | id | u16 BE label length | label (strict UTF-8)</c>, nothing after.
/// At most <see cref="MaxIdLength"/> id bytes and <see cref="MaxLabelLength"/> label bytes; one of them is not empty.
/// </remarks>
internal sealed record ObjectReference
{
    public const byte Version = 1;
    public const int MaxIdLength = 128;
    public const int MaxLabelLength = 256;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public ObjectReference(byte[] id, string label)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(label);
        if (id.Length > MaxIdLength || StrictUtf8.GetByteCount(label) > MaxLabelLength || (id.Length == 0 && label.Length == 0))
        {
            throw new ArgumentException($"A token object is referenced by a CKA_ID of at most {MaxIdLength} bytes and a CKA_LABEL of at most {MaxLabelLength} UTF-8 bytes, not both empty.");
        }

        Id = id;
        Label = label;
    }

    /// <summary>The object's <c>CKA_ID</c> (may be empty when the label is not).</summary>
    public byte[] Id { get; }

    /// <summary>The object's <c>CKA_LABEL</c> (may be empty when the id is not).</summary>
    public string Label { get; }

    public string IdHex => Convert.ToHexStringLower(Id);

    public byte[] Encode()
    {
        var label = StrictUtf8.GetBytes(Label);
        var encoded = new byte[1 + 2 + Id.Length + 2 + label.Length];
        encoded[0] = Version;
        BinaryPrimitives.WriteUInt16BigEndian(encoded.AsSpan(1), (ushort)Id.Length);
        Id.CopyTo(encoded, 3);
        BinaryPrimitives.WriteUInt16BigEndian(encoded.AsSpan(3 + Id.Length), (ushort)label.Length);
        label.CopyTo(encoded, 5 + Id.Length);
        return encoded;
    }

    /// <summary>Parses a stored reference strictly.</summary>
    /// <exception cref="HsmException">KI6014: not a version-1 reference, lengths out of range, trailing bytes, or a label that is not UTF-8.</exception>
    public static ObjectReference Parse(ReadOnlySpan<byte> encoded, Guid keyId)
    {
        if (encoded.Length < 5 || encoded.Length > 5 + MaxIdLength + MaxLabelLength || encoded[0] != Version)
        {
            throw Invalid(keyId, "not a version-1 reference of the expected size");
        }

        var idLength = BinaryPrimitives.ReadUInt16BigEndian(encoded[1..]);
        if (idLength > MaxIdLength || 3 + idLength + 2 > encoded.Length)
        {
            throw Invalid(keyId, "its id length is out of range");
        }

        var id = encoded.Slice(3, idLength).ToArray();
        var labelLength = BinaryPrimitives.ReadUInt16BigEndian(encoded[(3 + idLength)..]);
        if (labelLength > MaxLabelLength || 5 + idLength + labelLength != encoded.Length)
        {
            throw Invalid(keyId, "its label length does not match its size");
        }

        string label;
        try
        {
            label = StrictUtf8.GetString(encoded.Slice(5 + idLength, labelLength));
        }
        catch (DecoderFallbackException)
        {
            throw Invalid(keyId, "its label is not UTF-8");
        }

        if (id.Length == 0 && label.Length == 0)
        {
            throw Invalid(keyId, "it names neither an id nor a label");
        }

        return new ObjectReference(id, label);
    }

    public override string ToString() => $"label '{Label}', id {IdHex}";

    private static HsmException Invalid(Guid keyId, string why)
        => new(Pkcs11ErrorCodes.ReferenceInvalid, $"The stored token object reference of key {keyId} is malformed ({why}): it was not written by KeyInfra, or was changed outside it. Restore the row from a backup, or revoke and delete the key.");
}
