using KeyInfra.Errors;

namespace KeyInfra.Cryptography;

/// <summary>
/// Builds the <see cref="KeyFormatException"/>s of the codec. Messages say what was wrong and what to do,
/// and never contain key bytes.
/// </summary>
internal static class KeyFormatErrors
{
    public static KeyFormatException Pem(string problem) =>
        new(ErrorCodes.MalformedPem, $"{problem} Provide exactly one '-----BEGIN PUBLIC KEY-----' block (RFC 7468) with canonical Base64.");

    public static KeyFormatException Der(string problem, Exception? inner = null) =>
        new(ErrorCodes.MalformedDer, $"{problem} Provide a canonical DER SubjectPublicKeyInfo (RFC 5280), for example from 'openssl pkey -pubin -outform DER'.", inner);

    public static KeyFormatException Raw(string problem) =>
        new(ErrorCodes.MalformedRawKey, problem);

    public static KeyFormatException NotOnCurve(string curveName, Exception? inner = null) =>
        new(ErrorCodes.PointNotOnCurve, $"The public key is not a valid point on {curveName} (not on the curve, a coordinate out of range, or the point at infinity). Check that the key was copied completely and is of the declared curve.", inner);

    public static KeyFormatException Mismatch(string actual, string expected) =>
        new(ErrorCodes.KeySpecMismatch, $"The key is {actual}, but {expected} was declared. Declare the key's real type or import the right key.");

    public static KeyFormatException WeakRsa(string problem) =>
        new(ErrorCodes.WeakOrUnsupportedRsaKey, $"{problem} KeyInfra accepts RSA moduli of 2048 to 4096 bits in whole bytes, with an odd public exponent from 65537 to 2^64-1 (FIPS 186-5; 65537 is usual).");

    public static KeyFormatException Unsupported(string problem) =>
        new(ErrorCodes.UnsupportedAlgorithm, $"{problem} KeyInfra supports ECDSA on P-256, P-384, P-521 and secp256k1 (named curves), Ed25519, and RSA (rsaEncryption).");

    public static KeyFormatException TooLarge(int length, int limit) =>
        new(ErrorCodes.KeyDataTooLarge, $"The key data is {length} bytes; no supported public key is larger than {limit} bytes in any format. Check that a public key (not a certificate chain or a file of several keys) was given.");

    public static KeyFormatException RawNeedsSpec() =>
        new(ErrorCodes.RawKeyNeedsSpec, "A raw EC point does not say which curve it is on. Pass the expected key spec (for example ecdsa-p256 or ecdsa-secp256k1) with the raw key, or import PEM or DER. (A raw key of 32 bytes is read as Ed25519 without one.)");

    public static KeyFormatException PrivateKey(string problem, Exception? inner = null) =>
        new(ErrorCodes.MalformedPrivateKey, $"{problem} Provide an unencrypted PKCS#8 PrivateKeyInfo (RFC 5208; RFC 8410 for Ed25519) in canonical DER, of the declared key type.", inner);

    public static KeyFormatException UnsupportedFormat(string problem) =>
        new(ErrorCodes.UnsupportedKeyFormat, problem);
}
