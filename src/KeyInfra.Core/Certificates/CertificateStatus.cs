namespace KeyInfra.Certificates;

/// <summary>
/// A certificate's stored status. Expiry is not a status: a certificate past its <c>notAfter</c> keeps the status it had
/// (<see cref="CertificateInfo.IsExpiredAt"/> says whether it has expired), so the record of a revocation or a renewal is
/// never overwritten by time.
/// </summary>
public enum CertificateStatus
{
    /// <summary>Issued and neither renewed nor revoked: the one a device should be using.</summary>
    Active = 1,

    /// <summary>Replaced by a renewal (<see cref="CertificateInfo.RenewedById"/>); still valid until it expires, and not revoked.</summary>
    Superseded = 2,

    /// <summary>Revoked: on every CRL its issuer publishes from then on.</summary>
    Revoked = 3,
}
