using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KeyInfra.Keys;
using KeyInfra.Storage;

namespace KeyInfra.Certificates;

/// <summary>An authority whose row passed its MAC and whose certificate's key is its key's: what may sign.</summary>
/// <param name="Record">The row.</param>
/// <param name="Certificate">Its certificate.</param>
/// <param name="Key">Its signing key.</param>
internal sealed record LoadedAuthority(CertificateAuthorityRecord Record, X509Certificate2 Certificate, KeyInfo Key)
{
    /// <summary>The hash its signatures use: the key's default (SHA-256 for P-256 and RSA, SHA-384 for P-384, SHA-512 for P-521); Ed25519 ignores it.</summary>
    public HashAlgorithmName Hash => HashFor(Key.Spec);

    /// <summary>The hash signatures with a key of <paramref name="spec"/> use.</summary>
    public static HashAlgorithmName HashFor(KeySpec spec) => spec.Algorithm == KeyAlgorithm.EdDsa ? HashAlgorithmName.SHA512 : spec.DefaultHashAlgorithm;

    /// <summary>Where it publishes its CRL.</summary>
    public Uri? CrlDistributionPoint => Record.CrlDistributionPoint is { } url ? new Uri(url, UriKind.Absolute) : null;

    /// <summary>The public view.</summary>
    public CertificateAuthorityInfo ToInfo() => new(
        Record.Id,
        Record.Name,
        Record.KeyId,
        Record.ParentId,
        Record.ProfileName,
        Certificate.Subject,
        Certificate.NotBefore.ToUniversalTime(),
        Certificate.NotAfter.ToUniversalTime(),
        Record.CertificateDer,
        CrlDistributionPoint,
        Record.CrlNumber,
        Record.NextCrlDue);
}
