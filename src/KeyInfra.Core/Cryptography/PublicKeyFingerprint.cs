using System.Buffers.Text;
using System.Security.Cryptography;

namespace KeyInfra.Cryptography;

/// <summary>The two fingerprints a key is found by: SHA-256 of its DER SPKI, and its RFC 7638 JWK thumbprint.</summary>
internal static class PublicKeyFingerprint
{
    /// <summary>SHA-256 of the canonical DER SubjectPublicKeyInfo.</summary>
    public static byte[] SpkiSha256(ReadOnlySpan<byte> spki) => SHA256.HashData(spki);

    /// <summary>
    /// The RFC 7638 thumbprint: SHA-256 over the JWK's required members in lexicographic order without white space
    /// (exactly what <see cref="PublicKeyMaterial.ToJwk"/> writes), Base64url without padding.
    /// </summary>
    public static string JwkThumbprint(ReadOnlySpan<byte> spki)
        => Base64Url.EncodeToString(SHA256.HashData(PublicKeyCodec.ReadSpki(spki).ToJwk()));
}
