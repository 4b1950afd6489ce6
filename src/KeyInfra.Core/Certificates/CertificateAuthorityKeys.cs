using KeyInfra.Keys;

namespace KeyInfra.Certificates;

/// <summary>
/// The mark that dedicates a key to a certificate authority: the key metadata entry
/// <see cref="PurposeMetadataKey"/> = <see cref="CertificateAuthorityPurpose"/>. Key metadata is under the key row's MAC,
/// so the mark cannot be added or removed in the database.
/// </summary>
/// <remarks>
/// A marked key signs only through <see cref="ICertificateAuthorities"/> and <see cref="ICertificateStore"/> — for the
/// certificates and CRLs their profiles allow — and <see cref="Signing.ISigner"/> refuses it (KI8010), so holding the
/// Sign permission on an authority's key is not a way to sign an arbitrary certificate with it. An authority is created
/// only from a marked key: <see cref="ICertificateAuthorities"/> marks the keys it generates, and an existing key must
/// have been created (or imported) with the mark.
/// </remarks>
public static class CertificateAuthorityKeys
{
    /// <summary>The metadata key of a key's purpose.</summary>
    public const string PurposeMetadataKey = "keyinfra.purpose";

    /// <summary>The purpose of a certificate authority's key.</summary>
    public const string CertificateAuthorityPurpose = "certificate-authority";

    /// <summary>Whether <paramref name="key"/> is dedicated to a certificate authority.</summary>
    /// <param name="key">The key.</param>
    public static bool IsDedicated(KeyInfo key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Metadata.TryGetValue(PurposeMetadataKey, out var purpose) && string.Equals(purpose, CertificateAuthorityPurpose, StringComparison.Ordinal);
    }
}
