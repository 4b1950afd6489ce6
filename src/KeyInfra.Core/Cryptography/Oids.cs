namespace KeyInfra.Cryptography;

/// <summary>The object identifiers KeyInfra reads and writes in SubjectPublicKeyInfo and PKCS#8.</summary>
internal static class Oids
{
    /// <summary>id-ecPublicKey (RFC 5480).</summary>
    public const string EcPublicKey = "1.2.840.10045.2.1";

    /// <summary>rsaEncryption (RFC 8017), the algorithm of every plain RSA key.</summary>
    public const string RsaEncryption = "1.2.840.113549.1.1.1";

    /// <summary>id-RSASSA-PSS: an RSA key restricted to PSS (RFC 4055). Recognised only to explain why it is rejected.</summary>
    public const string RsaPss = "1.2.840.113549.1.1.10";

    /// <summary>id-Ed25519 (RFC 8410).</summary>
    public const string Ed25519 = "1.3.101.112";

    /// <summary>id-Ed448 (RFC 8410). Recognised only to explain why it is rejected.</summary>
    public const string Ed448 = "1.3.101.113";

    /// <summary>secp256r1 / prime256v1 / NIST P-256.</summary>
    public const string P256 = "1.2.840.10045.3.1.7";

    /// <summary>secp384r1 / NIST P-384.</summary>
    public const string P384 = "1.3.132.0.34";

    /// <summary>secp521r1 / NIST P-521.</summary>
    public const string P521 = "1.3.132.0.35";

    /// <summary>secp256k1.</summary>
    public const string Secp256k1 = "1.3.132.0.10";
}
