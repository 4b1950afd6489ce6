namespace KeyInfra.Keys;

/// <summary>The signature algorithm family of a key.</summary>
public enum KeyAlgorithm
{
    /// <summary>ECDSA over a NIST prime curve or secp256k1.</summary>
    Ecdsa = 1,

    /// <summary>RSA, 2048 to 4096 bits, with PKCS#1 v1.5 or PSS signatures.</summary>
    Rsa = 2,

    /// <summary>EdDSA; KeyInfra supports Ed25519 (pure, RFC 8032).</summary>
    EdDsa = 3,
}
