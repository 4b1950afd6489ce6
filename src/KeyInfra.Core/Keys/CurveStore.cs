using KeyInfra.Audit;
using KeyInfra.Authorization;
using KeyInfra.Diagnostics;
using KeyInfra.Errors;
using KeyInfra.Identity;
using KeyInfra.Tenancy;
using Microsoft.Extensions.Logging;

namespace KeyInfra.Keys;

/// <summary><see cref="ICurveStore"/>: reads through <see cref="CurvePolicy"/>, writes each change sealed and compare-and-set, and records it.</summary>
internal sealed class CurveStore(CurvePolicy policy, IdentityRows rows, ITenantContext tenant, AccessGuard access, AuditRecorder audit, ILogger<CurveStore> logger) : ICurveStore
{
    private const int UpdateAttempts = 8;

    public async Task<IReadOnlyList<CurveInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        await DemandAsync(cancellationToken).ConfigureAwait(false);
        return await policy.ReadAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<CurveInfo> SetStatusAsync(KeyCurve curve, CurveStatus status, CancellationToken cancellationToken = default)
    {
        if (!CurvePolicy.Names.TryGetValue(curve, out var name))
        {
            throw new ArgumentOutOfRangeException(nameof(curve), curve, $"Not a curve; the curves are {string.Join(", ", CurvePolicy.Names.Values)} (RSA keys have none).");
        }

        if (!Enum.IsDefined(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "Not a curve status.");
        }

        await DemandAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < UpdateAttempts; attempt++)
        {
            // One read gives both the row to compare and set and the status it stood for.
            var (infos, stored) = await policy.ReadWithRowsAsync(cancellationToken).ConfigureAwait(false);
            var row = stored.GetValueOrDefault(curve)
                ?? throw new KeyInfraException(ErrorCodes.StoredDataInvalid, $"The curves row of {name} is missing: it was deleted outside KeyInfra. Restore it from a backup (the migrations seed it); until then the curve is disabled.");
            var before = infos.Single(i => i.Curve == curve);

            // A row that failed its MAC is replaced all the same: the operator's decision is what the new row says.
            var sealedRow = await rows.SealAsync(row with { Status = status, Version = row.Version + 1 }, cancellationToken).ConfigureAwait(false);
            if (sealedRow.RowMac is null)
            {
                throw new KeyInfraException(ErrorCodes.MasterKeyMissing,
                    "A curve's status is stored with a MAC under the master key, and no master key source is registered. Register one (UseEnvironmentMasterKey, a vault), or disable the curve in configuration (KeyInfra:Curves:Disabled).");
            }

            if (await rows.Repository.UpdateCurveAsync(sealedRow, row.Version, cancellationToken).ConfigureAwait(false))
            {
                policy.Invalidate();
                Log.CurveChanged(logger, name, status.ToString().ToLowerInvariant());
                var after = await DescribeAsync(curve, cancellationToken).ConfigureAwait(false);
                await audit.ChangeAsync(new AuditChange
                {
                    Action = status == CurveStatus.Disabled ? AuditActions.CurveDisable : AuditActions.CurveEnable,
                    TargetType = "curve",
                    TargetId = name,
                    Before = State(before),
                    After = State(after),
                }, cancellationToken).ConfigureAwait(false);
                return after;
            }
        }

        throw new KeyInfraException(ErrorCodes.IdentityUpdateConflict, $"Curve {name} was changed by other writers on every attempt to set it; nothing was changed by this call. Try again.");
    }

    private async Task<CurveInfo> DescribeAsync(KeyCurve curve, CancellationToken cancellationToken)
        => (await policy.ReadAsync(cancellationToken).ConfigureAwait(false)).Single(i => i.Curve == curve);

    private static Dictionary<string, string?> State(CurveInfo info) => new()
    {
        ["status"] = info.Status.ToString().ToLowerInvariant(),
        ["disabled_by"] = info.DisabledBy,
        ["stored_status"] = info.StoredStatus?.ToString().ToLowerInvariant(),
    };

    // Curves are the deployment's, not a tenant's: asked about in the current tenant, like every management call.
    private ValueTask DemandAsync(CancellationToken cancellationToken)
        => access.DemandAsync(KeyInfraOperation.ManageCurves, tenant.TenantId, null, null, null, cancellationToken);
}
