namespace KeyInfra.Signing;

/// <summary>How an ECDSA signature is encoded. Other algorithms have one encoding each.</summary>
public enum SignatureEncoding
{
    /// <summary>IEEE P1363: <c>r‖s</c>, each exactly the curve's field size (JOSE, WebCrypto). The length is checked exactly.</summary>
    P1363 = 1,

    /// <summary>A DER <c>SEQUENCE { r INTEGER, s INTEGER }</c> (RFC 3279; X.509, OpenSSL). Only canonical DER is accepted.</summary>
    Der = 2,
}
