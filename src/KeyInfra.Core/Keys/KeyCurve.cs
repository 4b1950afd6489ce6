namespace KeyInfra.Keys;

/// <summary>The elliptic curve of an ECDSA or EdDSA key; <see cref="None"/> for RSA.</summary>
public enum KeyCurve
{
    /// <summary>No curve (RSA keys).</summary>
    None = 0,

    /// <summary>NIST P-256 (secp256r1, prime256v1).</summary>
    P256 = 1,

    /// <summary>NIST P-384 (secp384r1).</summary>
    P384 = 2,

    /// <summary>NIST P-521 (secp521r1).</summary>
    P521 = 3,

    /// <summary>secp256k1, the Koblitz curve used by Bitcoin and Ethereum.</summary>
    Secp256k1 = 4,

    /// <summary>Edwards25519, for Ed25519 signatures.</summary>
    Ed25519 = 5,
}
