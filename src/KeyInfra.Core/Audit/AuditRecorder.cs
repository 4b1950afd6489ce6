using KeyInfra.Authorization;
using KeyInfra.Tenancy;
using KeyInfra.Verification;
using KeyInfra.Verification.Chain;
using Microsoft.Extensions.Options;

namespace KeyInfra.Audit;

/// <summary>
/// Writes the audit logs: makes each record from the current caller and tenant and hands it to the log writer, which
/// commits and chains it with the verification log's entries. The engine's stores and the access guard call it;
/// <see cref="AuditTrail"/> lets hosts and packages record changes through <see cref="IAuditTrail"/>.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class AuditRecorder(VerificationLog log, ICallerContext callers, ITenantContext tenant, IOptions<KeyInfraOptions> options, TimeProvider time)
{
    private readonly AuditOptions _options = options.Value.Audit;

    /// <summary>Whether decisions about <paramref name="operation"/> are recorded.</summary>
    public bool RecordsDecisionsOf(KeyInfraOperation operation)
        => _options.DataPlane != LogMode.Off && (operation != KeyInfraOperation.Verify || _options.RecordVerifications);

    /// <summary>Records a change made by the current caller in the current tenant.</summary>
    /// <exception cref="ArgumentException">The change is not well formed.</exception>
    public ValueTask ChangeAsync(AuditChange change, CancellationToken cancellationToken)
    {
        if (_options.ControlPlane == LogMode.Off)
        {
            ArgumentNullException.ThrowIfNull(change);
            return ValueTask.CompletedTask;
        }

        AuditText.Validate(change, nameof(change));
        var caller = callers.Current;
        var now = time.GetUtcNow();
        var record = new ControlPlaneAuditRecord
        {
            Id = Guid.CreateVersion7(now),
            TenantId = tenant.TenantId,
            OccurredAt = LogChainFormat.Truncate(now),
            ActorKind = KindOf(caller),
            ActorId = caller?.StableId,
            ActorAddress = AddressOf(caller),
            RequestId = caller?.RequestId,
            Action = change.Action,
            TargetType = change.TargetType,
            TargetId = change.TargetId,
            Before = AuditJson.State(change.Before),
            After = AuditJson.State(change.After),
        };
        return log.AppendAsync(record, _options.ControlPlane == LogMode.Durable, cancellationToken);
    }

    /// <summary>Records a decision about an operation, when decisions about it are recorded.</summary>
    public ValueTask DecisionAsync(AuthorizationRequest request, AuthorizationDecision decision, CancellationToken cancellationToken)
        => !RecordsDecisionsOf(request.Operation)
            ? ValueTask.CompletedTask
            : DecisionAsync(request.Caller, request.TenantId, AuditText.ActionOf(request.Operation), decision.IsAllowed ? AuditDecision.Allow : AuditDecision.Deny,
                decision.Reason, request.KeyId?.Value, cancellationToken);

    /// <summary>Records a decision (a credential or password check, say) for <paramref name="caller"/> in the current tenant.</summary>
    public ValueTask DecisionAsync(Caller? caller, string action, AuditDecision decision, string? reason, CancellationToken cancellationToken)
        => _options.DataPlane == LogMode.Off
            ? ValueTask.CompletedTask
            : DecisionAsync(caller, tenant.TenantId, action, decision, reason, null, cancellationToken);

    private ValueTask DecisionAsync(Caller? caller, Guid tenantId, string action, AuditDecision decision, string? reason, Guid? keyId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var record = new DataPlaneAuditRecord
        {
            Id = Guid.CreateVersion7(now),
            TenantId = tenantId,
            OccurredAt = LogChainFormat.Truncate(now),
            ActorKind = KindOf(caller),
            ActorId = caller?.StableId,
            ActorAddress = AddressOf(caller),
            RequestId = caller?.RequestId,
            Action = action,
            Decision = decision,

            // An authorizer's reason is the host's text: stored as it can be, never refused.
            Reason = AuditText.Storable(reason, AuditText.MaxReasonLength),
            KeyId = keyId,
        };
        return log.AppendAsync(record, _options.DataPlane == LogMode.Durable, cancellationToken);
    }

    private static AuditActorKind KindOf(Caller? caller) => caller?.Kind switch
    {
        null => AuditActorKind.Anonymous,
        CallerKind.User => AuditActorKind.User,
        CallerKind.Application => AuditActorKind.Application,
        _ => AuditActorKind.System,
    };

    private static string? AddressOf(Caller? caller) => AuditText.Storable(caller?.RemoteAddress?.ToString(), AuditText.MaxAddressLength);
}
