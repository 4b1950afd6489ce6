using System.Security.Cryptography;
using KeyInfra.Keys;
using KeyInfra.Signing;
using NSec.Cryptography;

namespace KeyInfra.Pkcs11.Tests;

/// <summary>Verifies a signature with the platform's own crypto (OpenSSL through .NET; libsodium through NSec for Ed25519), not KeyInfra's.</summary>
internal static class PlatformVerifier
{
    public static bool Verify(KeySpec spec, byte[] spki, byte[] data, byte[] signature, SignatureEncoding encoding = SignatureEncoding.P1363,
        RsaPadding padding = RsaPadding.Pss, HashAlgorithmName? hash = null)
    {
        var h = hash ?? spec.DefaultHashAlgorithm;
        switch (spec.Algorithm)
        {
            case KeyAlgorithm.Ecdsa:
                using (var ecdsa = ECDsa.Create())
                {
                    ecdsa.ImportSubjectPublicKeyInfo(spki, out _);
                    return ecdsa.VerifyData(data, signature, h,
                        encoding == SignatureEncoding.Der ? DSASignatureFormat.Rfc3279DerSequence : DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
                }

            case KeyAlgorithm.Rsa:
                using (var rsa = RSA.Create())
                {
                    rsa.ImportSubjectPublicKeyInfo(spki, out _);
                    return rsa.VerifyData(data, signature, h, padding == RsaPadding.Pss ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1);
                }

            default:
                var key = PublicKey.Import(SignatureAlgorithm.Ed25519, spki, KeyBlobFormat.PkixPublicKey);
                return SignatureAlgorithm.Ed25519.Verify(key, data, signature);
        }
    }
}
