namespace KeyInfra.Keys;

/// <summary>How a public key is encoded.</summary>
public enum KeyFormat
{
    /// <summary>A PEM "PUBLIC KEY" block around a DER SubjectPublicKeyInfo (RFC 7468).</summary>
    Pem = 1,

    /// <summary>A DER-encoded SubjectPublicKeyInfo (RFC 5280).</summary>
    Der = 2,

    /// <summary>
    /// The bare key: an SEC 1 EC point (uncompressed <c>04‖X‖Y</c> or compressed <c>02/03‖X</c>)
    /// or the 32-byte Ed25519 public key. Not defined for RSA.
    /// </summary>
    Raw = 3,

    /// <summary>A JSON Web Key (RFC 7517, RFC 8037 for Ed25519). Export only.</summary>
    Jwk = 4,
}
