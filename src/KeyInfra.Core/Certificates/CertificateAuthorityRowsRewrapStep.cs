using KeyInfra.Encryption.Rotation;
using KeyInfra.RowAuthentication;

namespace KeyInfra.Certificates;

/// <summary>
/// Moves the MACs of the certificate authorities' rows to the current master key, so the previous one can be retired
/// without leaving an authority unable to sign. Only an authentic row is re-sealed; one that fails its MAC is counted
/// as failed and left as it is (it stays refused).
/// </summary>
internal sealed class CertificateAuthorityRowsRewrapStep(AuthorityStore store, IdentityRowAuthenticator authenticator) : IMasterKeyRewrapStep
{
    public string Name => MasterKeyRewrapSteps.CertificateAuthorityRows;

    public async Task<MasterKeyRewrapStepResult> RewrapAsync(IProgress<MasterKeyRewrapStepResult>? progress, CancellationToken cancellationToken)
    {
        var current = await authenticator.CurrentMasterKeyIdAsync(cancellationToken).ConfigureAwait(false);
        var counts = new RewrapStepCounts(Name, progress);
        if (current is null)
        {
            return counts.Result;
        }

        foreach (var tenantId in await store.Repository.ListAuthorityTenantsAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var record in await store.Repository.ListAuthoritiesAsync(tenantId, cancellationToken).ConfigureAwait(false))
            {
                if (record.MacMasterKeyId == current)
                {
                    counts.Add(changed: false, failed: false);
                    continue;
                }

                try
                {
                    await store.CheckAsync(record, cancellationToken).ConfigureAwait(false);
                }
                catch (Errors.CertificateException)
                {
                    counts.Add(changed: false, failed: true);
                    continue;
                }

                var sealedRecord = await store.SealAsync(record with { Version = record.Version + 1 }, cancellationToken).ConfigureAwait(false);
                counts.Add(await store.Repository.UpdateAuthorityStateAsync(sealedRecord, record.Version, cancellationToken).ConfigureAwait(false), failed: false);
            }
        }

        return counts.Result;
    }
}
