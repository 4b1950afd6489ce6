namespace KeyInfra.Signing;

/// <summary>The RSA signature scheme.</summary>
public enum RsaPadding
{
    /// <summary>
    /// RSASSA-PSS (RFC 8017, section 8.1) with MGF1 over the same hash and, unless the key or request sets
    /// <see cref="SignatureOptions.PssSaltLength"/>, a salt as long as the hash. The default.
    /// </summary>
    Pss = 1,

    /// <summary>RSASSA-PKCS1-v1_5 (RFC 8017, section 8.2), for interoperability (JWT RS256, X.509).</summary>
    Pkcs1 = 2,
}
