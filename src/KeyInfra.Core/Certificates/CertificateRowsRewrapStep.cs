using KeyInfra.Encryption.Rotation;
using KeyInfra.RowAuthentication;
using KeyInfra.Storage;

namespace KeyInfra.Certificates;

/// <summary>
/// Moves the MACs of certificate and revocation rows to the current master key, a page at a time, so the previous one
/// can be retired without leaving a certificate unreadable or a revocation off the next CRL. Only an authentic row is
/// re-sealed; one that fails its MAC is counted as failed and left as it is (it stays refused). Every row read is
/// counted as examined.
/// </summary>
internal sealed class CertificateRowsRewrapStep(ICertificateRepository repository, CertificateRows rows, IdentityRowAuthenticator authenticator) : IMasterKeyRewrapStep
{
    private const int PageSize = 500;

    public string Name => MasterKeyRewrapSteps.CertificateRows;

    public async Task<MasterKeyRewrapStepResult> RewrapAsync(IProgress<MasterKeyRewrapStepResult>? progress, CancellationToken cancellationToken)
    {
        var current = await authenticator.CurrentMasterKeyIdAsync(cancellationToken).ConfigureAwait(false);
        var counts = new RewrapStepCounts(Name, progress);
        if (current is null)
        {
            return counts.Result;
        }

        // A row KeyInfra changed meanwhile (a renewal, a revocation) was sealed under the current key by that change,
        // so a re-seal that finds it changed is neither a change nor a failure.
        foreach (var tenantId in await repository.ListAuthorityTenantsAsync(cancellationToken).ConfigureAwait(false))
        {
            await foreach (var record in KeysetPages.ReadAllAsync(
                (after, token) => repository.ListCertificatesAsync(tenantId, new CertificateListFilter(null, null, null, after, PageSize), token), c => c.Id, PageSize, cancellationToken).ConfigureAwait(false))
            {
                if (record.MacMasterKeyId == current)
                {
                    counts.Add(changed: false, failed: false);
                    continue;
                }

                var authentic = await rows.IsAuthenticAsync(record, cancellationToken).ConfigureAwait(false);
                counts.Add(authentic && await repository.UpdateCertificateMacAsync(await rows.SealAsync(record, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false), !authentic);
            }

            foreach (var authority in await repository.ListAuthoritiesAsync(tenantId, cancellationToken).ConfigureAwait(false))
            {
                foreach (var revocation in await repository.ListRevocationsAsync(tenantId, authority.Id, cancellationToken).ConfigureAwait(false))
                {
                    if (revocation.MacMasterKeyId == current)
                    {
                        counts.Add(changed: false, failed: false);
                        continue;
                    }

                    var authentic = await rows.IsAuthenticAsync(revocation, cancellationToken).ConfigureAwait(false);
                    counts.Add(authentic && await repository.UpdateRevocationMacAsync(await rows.SealAsync(revocation, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false), !authentic);
                }
            }
        }

        return counts.Result;
    }
}
