using KeyInfra.Certificates;
using KeyInfra.Errors;
using KeyInfra.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace KeyInfra.HealthChecks;

/// <summary>
/// Every certificate authority that is still valid has a CRL whose next update is ahead (else the check fails:
/// relying parties that check revocation refuse the authority's certificates), and the last scheduled CRL pass of this
/// process published every CRL that was due (else Degraded). Storage without certificates is healthy.
/// </summary>
/// <remarks>
/// Each authority's row is MAC-checked before anything in it is believed, and its last CRL is checked against the hash
/// that row carries, its next update read from the CRL's DER: a row or CRL changed in the database shows as unreadable,
/// never as current. Each probe reads every authority of every tenant (its row, key and last CRL): with many
/// authorities or large CRLs, probe it less often than the readiness checks.
/// </remarks>
internal sealed class CertificateHealthCheck(IServiceProvider services, CertificateMaintenanceStatus status, IOptions<KeyInfraOptions> options, TimeProvider time) : IHealthCheck
{
    private const int MaxNamed = 5;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<ICertificateRepository>() is null)
        {
            return HealthCheckResult.Healthy("This storage keeps no certificates.");
        }

        var store = services.GetRequiredService<AuthorityStore>();
        var now = time.GetUtcNow();
        var (authorities, stale, unreadable) = (0, new List<Guid>(), new List<Guid>());
        DateTimeOffset? earliest = null;
        try
        {
            foreach (var tenantId in await store.Repository.ListAuthorityTenantsAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var record in await store.Repository.ListAuthoritiesAsync(tenantId, cancellationToken).ConfigureAwait(false))
                {
                    LoadedAuthority authority;
                    try
                    {
                        // Checked before anything in the row is believed, its expiry included.
                        authority = await store.CheckAsync(record, cancellationToken).ConfigureAwait(false);
                    }
                    catch (CertificateException)
                    {
                        authorities++;
                        unreadable.Add(record.Id);
                        continue;
                    }

                    using var certificate = authority.Certificate;

                    // An authority past its own end issues nothing that is still valid: no one relies on its CRL.
                    if (certificate.NotAfter.ToUniversalTime() <= now)
                    {
                        continue;
                    }

                    authorities++;
                    try
                    {
                        var crl = await store.LastCrlAsync(authority.Record, cancellationToken).ConfigureAwait(false);
                        if (crl is null || crl.NextUpdate <= now)
                        {
                            stale.Add(record.Id);
                        }
                        else if (earliest is null || crl.NextUpdate < earliest)
                        {
                            earliest = crl.NextUpdate;
                        }
                    }
                    catch (CertificateException)
                    {
                        unreadable.Add(record.Id);
                    }
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The certificate authorities could not be read ({e.GetType().Name}).");
        }

        var data = new Dictionary<string, object>
        {
            ["authorities"] = authorities,
            ["stale_crls"] = stale.Count,
            ["unreadable_authorities"] = unreadable.Count,
        };
        if (earliest is { } next)
        {
            data["earliest_next_update"] = next.ToString("O");
        }

        if (status.LastCrlPass is { } lastPass)
        {
            data["last_crl_pass"] = lastPass.At.ToString("O");
        }

        if (stale.Count > 0 || unreadable.Count > 0)
        {
            var problems = new List<string>();
            if (stale.Count > 0)
            {
                problems.Add($"{stale.Count} authorities' CRLs are past their next update ({Named(stale)}): relying parties that check revocation refuse their certificates. " +
                    "Publish them (the CLI's 'crl publish', ICertificateAuthorities.PublishCrlAsync) and look in the application log for why the schedule did not");
            }

            if (unreadable.Count > 0)
            {
                problems.Add($"{unreadable.Count} authorities fail their checks (KI8015: a row or its last CRL was changed or deleted in the database) and publish nothing ({Named(unreadable)}); restore them from a backup");
            }

            return new HealthCheckResult(context.Registration.FailureStatus, string.Join("; ", problems) + ".", data: data);
        }

        if (status.LastCrlPass is { Failed: not 0 } pass)
        {
            data["last_pass_failed"] = pass.Failed;
            return HealthCheckResult.Degraded(
                pass.Failed == CertificateMaintenanceStatus.WholePass
                    ? $"The scheduled CRL pass at {pass.At:O} could not list the authorities (storage unreachable?); it tries again every {options.Value.Certificates.CrlSchedule}. The application log says why."
                    : $"The scheduled CRL pass at {pass.At:O} could not publish {pass.Failed} due CRL(s); it tries again every {options.Value.Certificates.CrlSchedule} and the current CRLs stay valid until their next update. The application log says why.",
                data: data);
        }

        var margin = options.Value.Certificates.CrlRefreshMargin;
        if (options.Value.Certificates.CrlSchedule <= TimeSpan.Zero && earliest is { } due && due - now < margin)
        {
            return HealthCheckResult.Degraded(
                $"A CRL's next update is {due:O}, within CrlRefreshMargin, and no schedule publishes CRLs here (CrlSchedule is 0): publish them, or run the schedule in some host.",
                data: data);
        }

        return HealthCheckResult.Healthy(authorities == 0
            ? "There are no certificate authorities."
            : $"The CRLs of {authorities} authorities are current; the earliest next update is {earliest:O}.", data);
    }

    private static string Named(List<Guid> ids)
        => string.Join(", ", ids.Take(MaxNamed)) + (ids.Count > MaxNamed ? $" and {ids.Count - MaxNamed} more" : "");
}
