using KeyInfra.Authorization;
using KeyInfra.Tenancy;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KeyInfra.Certificates;

/// <summary>The engine's <see cref="ICertificateMaintenance"/>.</summary>
internal sealed class CertificateMaintenance(
    AuthorityStore store,
    ITenantContext tenant,
    AccessGuard access,
    CertificateMetrics metrics,
    CertificateMaintenanceStatus status,
    IOptions<KeyInfraOptions> options,
    TimeProvider time,
    ILogger<CertificateMaintenance> logger) : ICertificateMaintenance
{
    public async Task<(int Published, int Failed)> PublishDueCrlsAsync(CancellationToken cancellationToken = default)
    {
        await access.DemandAsync(KeyInfraOperation.MaintainCertificates, tenant.TenantId, null, null, null, cancellationToken).ConfigureAwait(false);
        (int Published, int Failed) result;
        try
        {
            result = await PublishDueAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The authorities could not be listed: the whole pass failed, which the health check is told of.
            metrics.MaintenanceFailed("crl");
            status.CrlPassFinished(time.GetUtcNow(), 0, CertificateMaintenanceStatus.WholePass);
            throw;
        }

        status.CrlPassFinished(time.GetUtcNow(), result.Published, result.Failed);
        return result;
    }

    public async Task<int> RemoveExpiredAsync(CancellationToken cancellationToken = default)
    {
        await access.DemandAsync(KeyInfraOperation.MaintainCertificates, tenant.TenantId, null, null, null, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow().UtcDateTime;
        var cutoff = new DateTimeOffset(new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(-options.Value.Certificates.RetentionMonths));
        int removed;
        try
        {
            removed = await store.Repository.RemoveExpiredCertificatesAsync(cutoff, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            metrics.MaintenanceFailed("retention");
            throw;
        }

        Diagnostics.Log.CertificatesRetired(logger, removed, cutoff);
        metrics.Retired(removed);
        return removed;
    }

    private async Task<(int Published, int Failed)> PublishDueAsync(CancellationToken cancellationToken)
    {
        var (published, failed) = (0, 0);
        foreach (var tenantId in await store.Repository.ListAuthorityTenantsAsync(cancellationToken).ConfigureAwait(false))
        {
            IReadOnlyList<Storage.CertificateAuthorityRecord> records;
            try
            {
                records = await store.Repository.ListAuthoritiesAsync(tenantId, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One tenant's authorities that cannot be read must not keep the other tenants' CRLs from being refreshed.
                Diagnostics.Log.CrlScheduleTenantFailed(logger, tenantId, e);
                metrics.MaintenanceFailed("crl");
                failed++;
                continue;
            }

            foreach (var record in records)
            {
                try
                {
                    // The due time is trusted only once the row's MAC is: a writer cannot push it into the future unnoticed.
                    var authority = await store.CheckAsync(record, cancellationToken).ConfigureAwait(false);
                    using var certificate = authority.Certificate;
                    if (record.NextCrlDue is { } due && due > time.GetUtcNow())
                    {
                        continue;
                    }

                    await store.PublishCrlAsync(authority, cancellationToken).ConfigureAwait(false);
                    published++;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A tampered or unusable authority must not keep the others' CRLs from being refreshed.
                    Diagnostics.Log.CrlScheduleFailed(logger, record.Id, tenantId, e);
                    metrics.MaintenanceFailed("crl");
                    failed++;
                }
            }
        }

        return (published, failed);
    }
}
