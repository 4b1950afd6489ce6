using KeyInfra.Audit;
using KeyInfra.Authorization;
using KeyInfra.Tenancy;

namespace KeyInfra.RowAuthentication;

/// <summary>
/// The public <see cref="IKeyRowAuthenticator"/>: the pass re-seals every tenant's key rows under the deployment's
/// master key, so it is asked about as a master-key operation (<see cref="KeyInfraOperation.ManageMasterKeys"/>) before
/// <see cref="KeyRowAuthenticator"/> runs it, and recorded in the control-plane audit log after. The engine's own callers
/// (the master-key re-wrap, which asked already and records the whole re-wrap) use <see cref="KeyRowAuthenticator"/>
/// directly.
/// </summary>
internal sealed class GuardedKeyRowAuthenticator(KeyRowAuthenticator rows, AccessGuard access, AuditRecorder audit, ITenantContext tenant) : IKeyRowAuthenticator
{
    public async Task<KeyRowAuthenticationSummary> AuthenticateAllAsync(IProgress<KeyRowAuthenticationSummary>? progress = null, CancellationToken cancellationToken = default)
    {
        await access.DemandAsync(KeyInfraOperation.ManageMasterKeys, tenant.TenantId, null, null, null, cancellationToken).ConfigureAwait(false);
        var summary = await rows.AuthenticateAllAsync(progress, cancellationToken).ConfigureAwait(false);
        await audit.ChangeAsync(new AuditChange
        {
            Action = AuditActions.KeyRowsAuthenticate,
            TargetType = "master_key",
            TargetId = summary.MasterKeyId,
            After = new Dictionary<string, string?>
            {
                ["examined"] = AuditText.Count(summary.Examined),
                ["authenticated"] = AuditText.Count(summary.Authenticated),
                ["reauthenticated"] = AuditText.Count(summary.Reauthenticated),
                ["refused"] = AuditText.Count(summary.Refused),
                ["conflicts"] = AuditText.Count(summary.Conflicts),
                ["strict"] = summary.Strict ? "true" : "false",
            },
        }, cancellationToken).ConfigureAwait(false);
        return summary;
    }
}
