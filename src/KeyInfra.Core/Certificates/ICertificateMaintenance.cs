namespace KeyInfra.Certificates;

/// <summary>
/// The certificate jobs that span the deployment's tenants: publishing the CRLs that are due, and the retention of
/// expired certificates. The host runs them on a schedule (<see cref="CertificateOptions.CrlSchedule"/>,
/// <see cref="CertificateOptions.RetentionEnabled"/>); a host with its own scheduler, or the admin CLI, calls them.
/// System callers only (<see cref="Authorization.KeyInfraOperation.MaintainCertificates"/>).
/// </summary>
public interface ICertificateMaintenance
{
    /// <summary>
    /// Publishes the next CRL of every authority, in every tenant, whose CRL is due (<see cref="CertificateAuthorityInfo.NextCrlDue"/>
    /// passed). One authority that fails is logged and does not stop the others.
    /// </summary>
    /// <param name="cancellationToken">Cancels the pass.</param>
    /// <returns>How many CRLs were published, and how many authorities failed.</returns>
    Task<(int Published, int Failed)> PublishDueCrlsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the certificates that expired more than <see cref="CertificateOptions.RetentionMonths"/> months ago (on
    /// PostgreSQL, whole monthly partitions; never younger than 24 months there). Serial numbers and revocations stay.
    /// </summary>
    /// <param name="cancellationToken">Cancels the pass.</param>
    /// <returns>How many certificates (PostgreSQL: partitions) were removed.</returns>
    Task<int> RemoveExpiredAsync(CancellationToken cancellationToken = default);
}
