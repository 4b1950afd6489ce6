using System.Security.Cryptography.X509Certificates;

namespace KeyInfra.Certificates;

/// <summary>
/// The tenant's issued certificates: issue, read, list, renew, revoke, find those expiring soon, export as PKCS#12.
/// A caller with the built-in <c>user</c> role sees, renews, revokes and exports only its own certificates; an admin the
/// tenant's. Every change is audited.
/// </summary>
public interface ICertificateStore
{
    /// <summary>Issues a certificate from a signing request or for a KeyInfra key.</summary>
    /// <param name="request">What to issue.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.CertificateException">KI8001/KI8002 a bad request; KI8003 the profile or the issuer refuses; KI8011 no such authority.</exception>
    Task<CertificateInfo> IssueAsync(IssueCertificateRequest request, CancellationToken cancellationToken = default);

    /// <summary>Reads a certificate; <c>null</c> if the tenant has none with that id (or the caller may not see it).</summary>
    /// <param name="certificateId">The certificate.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<CertificateInfo?> GetAsync(Guid certificateId, CancellationToken cancellationToken = default);

    /// <summary>A page of certificates.</summary>
    /// <param name="query">Which.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<CertificatePage> ListAsync(CertificateQuery query, CancellationToken cancellationToken = default);

    /// <summary>The active certificates that expire within <paramref name="within"/> from now, soonest first (at most 1,000).</summary>
    /// <param name="within">How far ahead; 7 days is the usual alert.</param>
    /// <param name="owner">Only this owner's (a caller that sees only its own must name itself).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<CertificateInfo>> ListExpiringAsync(TimeSpan within, string? owner = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Renews an active certificate: a new one with a new serial, the same subject, names, key and profile, valid from now
    /// for as long as the old one was; its version one more; the old one superseded, with when and by whom.
    /// </summary>
    /// <param name="certificateId">The certificate to renew.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.CertificateException">KI8013 no such certificate; KI8014 it is not active (revoked, or renewed already).</exception>
    Task<CertificateInfo> RenewAsync(Guid certificateId, CancellationToken cancellationToken = default);

    /// <summary>Revokes a certificate with an RFC 5280 reason and publishes its issuer's next CRL.</summary>
    /// <param name="certificateId">The certificate.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.CertificateException">KI8013 no such certificate; KI8014 revoked already.</exception>
    Task<CertificateInfo> RevokeAsync(Guid certificateId, X509RevocationReason reason, CancellationToken cancellationToken = default);

    /// <summary>
    /// Exports a certificate with its chain as PKCS#12 under <paramref name="pin"/> (PBES2, AES-256-CBC, PBKDF2-SHA256),
    /// with its private key when KeyInfra holds it in software. The PIN is never stored or logged.
    /// </summary>
    /// <param name="certificateId">The certificate.</param>
    /// <param name="pin">The PIN, at least 12 characters.</param>
    /// <param name="includePrivateKey">Whether to include the private key; for a key in an HSM or an Ed25519 key this is refused (KI8016).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<byte[]> ExportPkcs12Async(Guid certificateId, string pin, bool includePrivateKey, CancellationToken cancellationToken = default);
}
