using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KeyInfra.Certificates;

/// <summary>
/// A certificate, its private key and its chain as a PKCS#12 file protected by a PIN given at export time: PBES2 with
/// AES-256-CBC and PBKDF2-HMAC-SHA256 for the key and the certificates, an HMAC-SHA256 MAC, all with
/// <see cref="Iterations"/> iterations. The PIN is never stored or logged; it must be at least
/// <see cref="MinPinLength"/> characters, since the file can be attacked offline.
/// </summary>
/// <remarks>
/// The iteration count stays within what .NET's own loader accepts by default
/// (<see cref="Pkcs12LoaderLimits.Defaults"/>: 300,000 per derivation), so a .NET host can read what KeyInfra exports.
/// </remarks>
internal static class Pkcs12Export
{
    /// <summary>The shortest PIN accepted.</summary>
    public const int MinPinLength = 12;

    /// <summary>PBKDF2 iterations for each derivation (the key's, the certificates' and the MAC's).</summary>
    public const int Iterations = 300_000;

    private static readonly PbeParameters s_parameters = new(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, Iterations);

    /// <summary>Exports <paramref name="certificate"/> (with its private key, or without) and <paramref name="chain"/> (issuers, nearest first, without private keys).</summary>
    /// <param name="certificate">The certificate.</param>
    /// <param name="chain">Its issuers.</param>
    /// <param name="pin">The PIN.</param>
    /// <param name="withPrivateKey">Whether the certificate carries its private key (it must) or not (it must not), so a key is never exported by accident.</param>
    /// <exception cref="ArgumentException">The PIN is shorter than <see cref="MinPinLength"/>, the certificate's private key is not as <paramref name="withPrivateKey"/> says, or a chain certificate has one.</exception>
    public static byte[] Export(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chain, string pin, bool withPrivateKey)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(pin);
        if (pin.Length < MinPinLength)
        {
            throw new ArgumentException($"The PIN protecting a PKCS#12 export is at least {MinPinLength} characters: the file can be attacked offline.", nameof(pin));
        }

        if (certificate.HasPrivateKey != withPrivateKey)
        {
            throw new ArgumentException(withPrivateKey ? "The certificate to export has no private key attached." : "The certificate to export carries a private key, and the export was asked without it.", nameof(certificate));
        }

        var collection = new X509Certificate2Collection(certificate);
        foreach (var issuer in chain)
        {
            if (issuer.HasPrivateKey)
            {
                throw new ArgumentException($"The chain certificate '{issuer.Subject}' carries a private key; a PKCS#12 export holds only the certificate's own.", nameof(chain));
            }

            collection.Add(issuer);
        }

        return collection.ExportPkcs12(s_parameters, pin);
    }
}
