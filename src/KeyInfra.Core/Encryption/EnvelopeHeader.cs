namespace KeyInfra.Encryption;

/// <summary>
/// The parsed header of an envelope ciphertext (v1 and v2 share one layout): the master key id and the offsets of every region.
/// Parsing checks the structure only; nothing in it is authenticated until the GCM tags are checked.
/// </summary>
/// <param name="MasterKeyId">The id of the master key that wrapped the data key.</param>
/// <param name="IdLength">The length of the id in bytes (1–64).</param>
/// <param name="TotalLength">The length of the whole ciphertext.</param>
internal readonly record struct EnvelopeHeader(string MasterKeyId, int IdLength, int TotalLength)
{
    /// <summary>Where the id starts: after the version and id-length bytes.</summary>
    public const int IdOffset = 2;

    /// <summary>The format version (<see cref="EnvelopeFormat.Version1"/> or <see cref="EnvelopeFormat.Version2"/>).</summary>
    public byte Version { get; init; } = EnvelopeFormat.Version2;

    public int WrapNonceOffset => IdOffset + IdLength;

    public int WrappedKeyOffset => WrapNonceOffset + EnvelopeFormat.NonceSize;

    public int WrapTagOffset => WrappedKeyOffset + EnvelopeFormat.DataKeySize;

    public int DataNonceOffset => WrapTagOffset + EnvelopeFormat.TagSize;

    public int DataTagOffset => DataNonceOffset + EnvelopeFormat.NonceSize;

    public int DataOffset => DataTagOffset + EnvelopeFormat.TagSize;

    /// <summary>The length of the encrypted data (equal to the plaintext length).</summary>
    public int DataLength => TotalLength - DataOffset;
}
