using KeyInfra.Authorization;
using KeyInfra.Tenancy;

namespace KeyInfra.RowAuthentication;

/// <summary>
/// The public <see cref="IKeyRowAuthenticator"/>: the pass re-seals every tenant's key rows under the deployment's
/// master key, so it is asked about as a master-key operation (<see cref="KeyInfraOperation.ManageMasterKeys"/>) before
/// <see cref="KeyRowAuthenticator"/> runs it. The engine's own callers (the master-key re-wrap, which asked already) use
/// <see cref="KeyRowAuthenticator"/> directly.
/// </summary>
internal sealed class GuardedKeyRowAuthenticator(KeyRowAuthenticator rows, AccessGuard access, ITenantContext tenant) : IKeyRowAuthenticator
{
    public async Task<KeyRowAuthenticationSummary> AuthenticateAllAsync(IProgress<KeyRowAuthenticationSummary>? progress = null, CancellationToken cancellationToken = default)
    {
        await access.DemandAsync(KeyInfraOperation.ManageMasterKeys, tenant.TenantId, null, null, null, cancellationToken).ConfigureAwait(false);
        return await rows.AuthenticateAllAsync(progress, cancellationToken).ConfigureAwait(false);
    }
}
