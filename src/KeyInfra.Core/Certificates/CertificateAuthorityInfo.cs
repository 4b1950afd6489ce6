using KeyInfra.Keys;

namespace KeyInfra.Certificates;

/// <summary>A certificate authority of the tenant, as KeyInfra holds it (its row authenticated, its certificate's key checked to be its key's).</summary>
/// <param name="Id">Its id.</param>
/// <param name="Name">Its name, unique in the tenant.</param>
/// <param name="KeyId">The KeyInfra key that signs for it (dedicated: <see cref="CertificateAuthorityKeys"/>).</param>
/// <param name="ParentId">The authority that issued its certificate; <c>null</c> for a root.</param>
/// <param name="ProfileName">Its certificate's profile.</param>
/// <param name="Subject">Its certificate's subject.</param>
/// <param name="NotBefore">Its certificate's start.</param>
/// <param name="NotAfter">Its certificate's end.</param>
/// <param name="CertificateDer">Its certificate, DER.</param>
/// <param name="CrlDistributionPoint">Where its CRL is published, as written into the certificates it issues; <c>null</c> for none.</param>
/// <param name="CrlNumber">Its last CRL's number; 0 before the first.</param>
/// <param name="NextCrlDue">When its next CRL is due; <c>null</c> before the first.</param>
public sealed record CertificateAuthorityInfo(
    Guid Id,
    string Name,
    KeyId KeyId,
    Guid? ParentId,
    string ProfileName,
    string Subject,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    ReadOnlyMemory<byte> CertificateDer,
    Uri? CrlDistributionPoint,
    long CrlNumber,
    DateTimeOffset? NextCrlDue);
