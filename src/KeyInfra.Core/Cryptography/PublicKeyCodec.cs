using KeyInfra.Keys;

namespace KeyInfra.Cryptography;

/// <summary>Strict decoding of public keys from PEM, DER and raw forms, and encoding to every <see cref="KeyFormat"/>.</summary>
internal static class PublicKeyCodec
{
    /// <summary>
    /// Parses, validates (point on curve, RSA size and exponent, curve matches <paramref name="expected"/>)
    /// and normalises a public key.
    /// </summary>
    /// <exception cref="Errors.KeyFormatException">Anything wrong, with the error code that says what.</exception>
    public static DecodedPublicKey Decode(ReadOnlySpan<byte> data, KeyFormat format, KeySpec? expected) => throw new NotImplementedException();

    /// <summary>Encodes a validated SPKI as PEM (UTF-8), DER, raw (uncompressed point or 32 bytes) or JWK (UTF-8 JSON).</summary>
    /// <exception cref="NotSupportedException">Raw for RSA.</exception>
    public static byte[] Encode(KeySpec spec, ReadOnlySpan<byte> spki, KeyFormat format) => throw new NotImplementedException();
}
