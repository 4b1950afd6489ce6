using KeyInfra.Encryption.Rotation;
using KeyInfra.RowAuthentication;
using KeyInfra.Storage;

namespace KeyInfra.Certificates;

/// <summary>
/// Moves the MACs of certificate and revocation rows to the current master key, a page at a time, so the previous one
/// can be retired without leaving a certificate unreadable or a revocation off the next CRL. Only an authentic row is
/// re-sealed; one that fails its MAC is counted as failed and left as it is (it stays refused).
/// </summary>
internal sealed class CertificateRowsRewrapStep(ICertificateRepository repository, CertificateRows rows, IdentityRowAuthenticator authenticator) : IMasterKeyRewrapStep
{
    private const int PageSize = 500;

    public string Name => MasterKeyRewrapSteps.CertificateRows;

    public async Task<MasterKeyRewrapStepResult> RewrapAsync(IProgress<MasterKeyRewrapStepResult>? progress, CancellationToken cancellationToken)
    {
        var current = await authenticator.CurrentMasterKeyIdAsync(cancellationToken).ConfigureAwait(false);
        var counts = new Counts();
        if (current is null)
        {
            return counts.Result(Name);
        }

        foreach (var tenantId in await repository.ListAuthorityTenantsAsync(cancellationToken).ConfigureAwait(false))
        {
            Guid? after = null;
            while (true)
            {
                var page = await repository.ListCertificatesAsync(tenantId, new CertificateListFilter(null, null, null, after, PageSize), cancellationToken).ConfigureAwait(false);
                foreach (var record in page)
                {
                    await RewrapAsync(counts, record.MacMasterKeyId == current, () => rows.IsAuthenticAsync(record, cancellationToken), async () =>
                        await repository.UpdateCertificateMacAsync(await rows.SealAsync(record, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
                }

                progress?.Report(counts.Result(Name));
                if (page.Count < PageSize)
                {
                    break;
                }

                after = page[^1].Id;
            }

            foreach (var authority in await repository.ListAuthoritiesAsync(tenantId, cancellationToken).ConfigureAwait(false))
            {
                foreach (var revocation in await repository.ListRevocationsAsync(tenantId, authority.Id, cancellationToken).ConfigureAwait(false))
                {
                    await RewrapAsync(counts, revocation.MacMasterKeyId == current, () => rows.IsAuthenticAsync(revocation, cancellationToken), async () =>
                        await repository.UpdateRevocationMacAsync(await rows.SealAsync(revocation, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
                }
            }

            progress?.Report(counts.Result(Name));
        }

        return counts.Result(Name);
    }

    private static async Task RewrapAsync(Counts counts, bool underCurrent, Func<ValueTask<bool>> isAuthentic, Func<Task<bool>> reseal)
    {
        counts.Examined++;
        if (underCurrent)
        {
            return;
        }

        if (!await isAuthentic().ConfigureAwait(false))
        {
            counts.Failed++;
            return;
        }

        // A row KeyInfra changed meanwhile (a renewal, a revocation) was sealed under the current key by that change.
        if (await reseal().ConfigureAwait(false))
        {
            counts.Changed++;
        }
    }

    private sealed class Counts
    {
        public long Examined { get; set; }

        public long Changed { get; set; }

        public long Failed { get; set; }

        public MasterKeyRewrapStepResult Result(string name) => new(name, Examined, Changed, Failed);
    }
}
