namespace KeyInfra.Storage;

/// <summary>
/// Persists certificate authorities, the certificates they issue, revocations and CRLs (<c>certificate_authorities</c>,
/// <c>certificates</c>, <c>certificate_serials</c>, <c>revoked_certificates</c>, <c>certificate_revocation_lists</c>).
/// Implemented by a storage provider (KeyInfra.EntityFrameworkCore); used by the engine's certificate services, which
/// do the cryptography and every check of what is read back.
/// </summary>
/// <remarks>
/// <para>Every provider keeps this contract (the storage conformance suite tests each point):</para>
/// <list type="bullet">
/// <item><description>Every method sees and changes only its tenant's rows (on PostgreSQL row-level security hides the
/// others too), and a read inside an <see cref="OwnerScope"/> returns only those owners' certificates.</description></item>
/// <item><description>A serial number is unique per issuer: a second certificate with one is refused
/// (<see cref="CertificateWriteOutcome.SerialTaken"/>) and nothing is written, whatever the certificate's expiry
/// (on PostgreSQL <c>certificates</c> is partitioned by <c>not_after</c>, so the unique key lives in the unpartitioned
/// <c>certificate_serials</c>).</description></item>
/// <item><description>Writes that change a row are compare-and-set on what the caller read, and a write that spans rows
/// (a renewal, a revocation, a CRL with its authority's new state) is one transaction: all of it or none.</description></item>
/// <item><description>Bytes come back byte for byte, times in UTC to at least the microsecond.</description></item>
/// </list>
/// <para>Thread-safe; implementations open a unit of work per call.</para>
/// </remarks>
public interface ICertificateRepository
{
    /// <summary>Adds an authority.</summary>
    /// <param name="authority">The authority.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><c>false</c>, adding nothing, if the tenant has an authority with that name, or the key already serves an authority.</returns>
    Task<bool> AddAuthorityAsync(CertificateAuthorityRecord authority, CancellationToken cancellationToken = default);

    /// <summary>Reads an authority; <c>null</c> if the tenant has none with that id.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="authorityId">The authority's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<CertificateAuthorityRecord?> GetAuthorityAsync(Guid tenantId, Guid authorityId, CancellationToken cancellationToken = default);

    /// <summary>Reads an authority by name (ordinal); <c>null</c> if the tenant has none.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="name">The authority's name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<CertificateAuthorityRecord?> FindAuthorityAsync(Guid tenantId, string name, CancellationToken cancellationToken = default);

    /// <summary>The tenant's authorities, in id order.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<CertificateAuthorityRecord>> ListAuthoritiesAsync(Guid tenantId, CancellationToken cancellationToken = default);

    /// <summary>The tenants that have authorities (for the CRL schedule, which visits each): ids only.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<Guid>> ListAuthorityTenantsAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a certificate and claims its serial number for its issuer, in one transaction.</summary>
    /// <param name="certificate">The certificate.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see cref="CertificateWriteOutcome.Written"/>, or <see cref="CertificateWriteOutcome.SerialTaken"/> (nothing written).</returns>
    Task<CertificateWriteOutcome> AddCertificateAsync(CertificateRecord certificate, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds a renewal and writes the certificate it renews as <paramref name="superseded"/> (its status, renewed at, by
    /// and by which, MAC and master key), in one transaction, only if the stored one is still
    /// <see cref="Certificates.CertificateStatus.Active"/>, not renewed, at <paramref name="superseded"/>'s version.
    /// </summary>
    /// <param name="renewal">The new certificate (<see cref="CertificateRecord.PreviousId"/> names the old one).</param>
    /// <param name="superseded">The old certificate's new row; only its status, renewal fields and MAC are written.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Written, SerialTaken or Conflict (the old one is no longer active); nothing is written unless Written.</returns>
    Task<CertificateWriteOutcome> AddRenewalAsync(CertificateRecord renewal, CertificateRecord superseded, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a revocation and writes the certificate as <paramref name="revoked"/> (its status, MAC and master key), in
    /// one transaction, only if it has no revocation yet and its stored status is still <paramref name="expectedStatus"/>
    /// with the renewal <paramref name="revoked"/> names (<see cref="CertificateRecord.RenewedById"/>).
    /// </summary>
    /// <param name="revocation">The revocation.</param>
    /// <param name="revoked">The certificate's new row; only its status and MAC are written.</param>
    /// <param name="expectedStatus">The status the caller read.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Written, or Conflict (already revoked, changed meanwhile, or no such certificate); nothing is written unless Written.</returns>
    Task<CertificateWriteOutcome> RevokeAsync(RevokedCertificateRecord revocation, CertificateRecord revoked, Certificates.CertificateStatus expectedStatus, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces a certificate's MAC and its master key (re-sealing under a new master key), only if its stored status and
    /// renewal are still those of <paramref name="certificate"/>. Nothing else of the row changes.
    /// </summary>
    /// <param name="certificate">The certificate with its new MAC.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><c>false</c>, writing nothing, if the row changed meanwhile or is gone.</returns>
    Task<bool> UpdateCertificateMacAsync(CertificateRecord certificate, CancellationToken cancellationToken = default);

    /// <summary>Replaces a revocation's MAC and its master key (re-sealing under a new master key); nothing else of the row changes.</summary>
    /// <param name="revocation">The revocation with its new MAC.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><c>false</c>, writing nothing, if the row is gone.</returns>
    Task<bool> UpdateRevocationMacAsync(RevokedCertificateRecord revocation, CancellationToken cancellationToken = default);

    /// <summary>Reads a certificate; <c>null</c> if the tenant has none with that id (or the owner scope hides it).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="certificateId">The certificate's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<CertificateRecord?> GetCertificateAsync(Guid tenantId, Guid certificateId, CancellationToken cancellationToken = default);

    /// <summary>A page of the tenant's certificates, in id order (creation order for UUIDv7 ids).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="filter">Which, and how many.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<CertificateRecord>> ListCertificatesAsync(Guid tenantId, CertificateListFilter filter, CancellationToken cancellationToken = default);

    /// <summary>
    /// The tenant's active certificates whose <c>not_after</c> is after <paramref name="from"/> and at or before
    /// <paramref name="until"/>, soonest first (served by an index on <c>(tenant_id, not_after)</c>).
    /// </summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="owner">Only this owner's; <c>null</c> for every owner the read may see.</param>
    /// <param name="from">The exclusive lower bound (usually now).</param>
    /// <param name="until">The inclusive upper bound.</param>
    /// <param name="limit">At most this many, 1–1,000.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<CertificateRecord>> ListExpiringAsync(Guid tenantId, string? owner, DateTimeOffset from, DateTimeOffset until, int limit, CancellationToken cancellationToken = default);

    /// <summary>Every revocation of an authority's certificates, in revocation order.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="authorityId">The authority.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<RevokedCertificateRecord>> ListRevocationsAsync(Guid tenantId, Guid authorityId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a new CRL and its authority's new state (CRL number, hash, next due, MAC) in one transaction, only if the
    /// authority's stored version is still <paramref name="expectedAuthorityVersion"/>.
    /// </summary>
    /// <param name="crl">The CRL.</param>
    /// <param name="authority">The authority's new row (its version one more than expected).</param>
    /// <param name="expectedAuthorityVersion">The version the caller read.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><c>false</c>, writing nothing, if the authority changed meanwhile (another CRL was published).</returns>
    Task<bool> AddCrlAsync(CertificateRevocationListRecord crl, CertificateAuthorityRecord authority, long expectedAuthorityVersion, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces an authority's changing state — CRL number, last CRL hash, next due, version, MAC and its master key —
    /// only if its stored version is still <paramref name="expectedVersion"/> (for re-sealing under a new master key).
    /// Its key, certificate, parent, name and profile never change.
    /// </summary>
    /// <param name="authority">The authority's new row.</param>
    /// <param name="expectedVersion">The version the caller read.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><c>false</c>, writing nothing, if the row changed meanwhile or is gone.</returns>
    Task<bool> UpdateAuthorityStateAsync(CertificateAuthorityRecord authority, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>An authority's CRL by number; <c>null</c> if there is none.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="authorityId">The authority.</param>
    /// <param name="number">The CRL number.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<CertificateRevocationListRecord?> GetCrlAsync(Guid tenantId, Guid authorityId, long number, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes certificates that expired before <paramref name="expiredBefore"/>, across tenants (the retention job).
    /// Their serial numbers and revocations stay, so a serial is never reused and a revocation never forgotten.
    /// </summary>
    /// <param name="expiredBefore">The cut-off; a provider that partitions by month may keep rows up to a month younger.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>How many certificates (or, partitioned, how many partitions) were removed.</returns>
    Task<int> RemoveExpiredCertificatesAsync(DateTimeOffset expiredBefore, CancellationToken cancellationToken = default);
}
