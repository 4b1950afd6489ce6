using KeyInfra.Diagnostics;
using KeyInfra.Errors;
using KeyInfra.Keys;
using Microsoft.Extensions.Logging;

namespace KeyInfra.Authorization;

/// <summary>
/// Asks <see cref="IKeyInfraAuthorizer"/> on behalf of the engine, logs every denial and records every decision in the
/// data-plane audit log, so the key store, the signer, the verifier and the log reader each make one call.
/// </summary>
internal sealed class AccessGuard(ICallerContext callers, IKeyInfraAuthorizer authorizer, Audit.AuditRecorder audit, ILogger<AccessGuard> logger)
{
    /// <summary>The current caller, read once per operation so the check and the record agree.</summary>
    public Caller? Caller => callers.Current;

    /// <summary>Asks about an operation that throws when denied: <see cref="AccessDeniedException"/> (KI5001).</summary>
    public ValueTask DemandAsync(KeyInfraOperation operation, Guid tenantId, KeyId? keyId, KeyInfo? key, string? ringName, CancellationToken cancellationToken)
        => DemandAsync(operation, tenantId, keyId, key, ringName, owner: null, cancellationToken);

    /// <summary>Asks about an operation that names an owner (create, import, list): throws when denied.</summary>
    public ValueTask DemandAsync(KeyInfraOperation operation, Guid tenantId, KeyId? keyId, KeyInfo? key, string? ringName, string? owner, CancellationToken cancellationToken)
    {
        var request = new AuthorizationRequest(operation, callers.Current, tenantId, keyId, key, ringName, owner);
        var pending = authorizer.AuthorizeAsync(request, cancellationToken);
        if (!pending.IsCompletedSuccessfully)
        {
            return AwaitDemandAsync(request, pending, cancellationToken);
        }

        var decision = Effective(request, pending.Result);
        var recorded = audit.DecisionAsync(request, decision, cancellationToken);
        if (!recorded.IsCompletedSuccessfully)
        {
            return AwaitRecordedAsync(request, decision, recorded);
        }

        recorded.GetAwaiter().GetResult();
        ThrowIfDenied(request, decision);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Asks about a read that lists rows (a key list, a log query), throws when denied, and returns the owners the
    /// authorizer limited it to (<see cref="AuthorizationDecision.Owners"/>), for the caller to enter as an
    /// <see cref="Storage.OwnerScope"/> around the read.
    /// </summary>
    public async ValueTask<IReadOnlyList<string>?> DemandOwnersAsync(KeyInfraOperation operation, Guid tenantId, KeyId? keyId, KeyInfo? key, string? owner, CancellationToken cancellationToken)
    {
        var request = new AuthorizationRequest(operation, callers.Current, tenantId, keyId, key, null, owner);
        var decision = await authorizer.AuthorizeAsync(request, cancellationToken).ConfigureAwait(false);
        await audit.DecisionAsync(request, decision, cancellationToken).ConfigureAwait(false);
        ThrowIfDenied(request, decision);
        return decision.Owners;
    }

    /// <summary>Asks about a verification, whose denial is a result: returns the decision, and logs a denial.</summary>
    public ValueTask<AuthorizationDecision> CheckAsync(AuthorizationRequest request, CancellationToken cancellationToken)
    {
        var pending = authorizer.AuthorizeAsync(request, cancellationToken);
        if (!pending.IsCompletedSuccessfully)
        {
            return AwaitCheckAsync(request, pending, cancellationToken);
        }

        // A fresh ValueTask: the authorizer's may wrap a pooled source, which must be consumed once.
        var decision = Effective(request, pending.Result);
        if (!decision.IsAllowed)
        {
            LogDenied(request, decision);
        }

        var recorded = audit.DecisionAsync(request, decision, cancellationToken);
        if (!recorded.IsCompletedSuccessfully)
        {
            return AwaitRecordedAsync(decision, recorded);
        }

        recorded.GetAwaiter().GetResult();
        return new ValueTask<AuthorizationDecision>(decision);
    }

    /// <summary>
    /// Whether the caller may read <paramref name="key"/>, asked quietly (nothing logged): for choosing among keys the
    /// caller did not name, where a denial is not a refusal of what it asked.
    /// </summary>
    public async ValueTask<bool> MayReadAsync(Guid tenantId, KeyInfo key, CancellationToken cancellationToken)
    {
        var request = new AuthorizationRequest(KeyInfraOperation.GetKey, callers.Current, tenantId, key.Id, key);
        return Effective(request, await authorizer.AuthorizeAsync(request, cancellationToken).ConfigureAwait(false)).IsAllowed;
    }

    /// <summary>
    /// The decision for an operation on one key (or on none): an allow limited to some owners
    /// (<see cref="AuthorizationDecision.AllowOwners"/>) holds only for a key of theirs, and is a denial otherwise, so an
    /// authorizer's scope is kept whatever the storage provider (reads that list rows go through
    /// <see cref="DemandOwnersAsync"/>, which scopes them instead).
    /// </summary>
    private static AuthorizationDecision Effective(AuthorizationRequest request, AuthorizationDecision decision)
        => decision is { IsAllowed: true, Owners: { } owners }
            ? Storage.OwnerScope.Includes(owners, request.Key?.Owner)
                ? AuthorizationDecision.Allow
                : AuthorizationDecision.Deny("allowed over some owners' rows only, and the operation is not on a key of theirs")
            : decision;

    private async ValueTask AwaitDemandAsync(AuthorizationRequest request, ValueTask<AuthorizationDecision> pending, CancellationToken cancellationToken)
    {
        var decision = Effective(request, await pending.ConfigureAwait(false));
        await audit.DecisionAsync(request, decision, cancellationToken).ConfigureAwait(false);
        ThrowIfDenied(request, decision);
    }

    private async ValueTask AwaitRecordedAsync(AuthorizationRequest request, AuthorizationDecision decision, ValueTask recorded)
    {
        await recorded.ConfigureAwait(false);
        ThrowIfDenied(request, decision);
    }

    private async ValueTask<AuthorizationDecision> AwaitCheckAsync(AuthorizationRequest request, ValueTask<AuthorizationDecision> pending, CancellationToken cancellationToken)
    {
        var decision = Effective(request, await pending.ConfigureAwait(false));
        if (!decision.IsAllowed)
        {
            LogDenied(request, decision);
        }

        await audit.DecisionAsync(request, decision, cancellationToken).ConfigureAwait(false);
        return decision;
    }

    private static async ValueTask<AuthorizationDecision> AwaitRecordedAsync(AuthorizationDecision decision, ValueTask recorded)
    {
        await recorded.ConfigureAwait(false);
        return decision;
    }

    private void ThrowIfDenied(AuthorizationRequest request, AuthorizationDecision decision)
    {
        if (!decision.IsAllowed)
        {
            LogDenied(request, decision);
            ThrowHelper.AccessDenied(request.Operation, request.KeyId, request.RingName, request.Caller?.StableId);
        }
    }

    private void LogDenied(AuthorizationRequest request, AuthorizationDecision decision)
        => Log.AccessDenied(logger, request.Operation, request.Caller?.StableId ?? "-", request.KeyId?.ToString() ?? "-",
            request.RingName ?? "-", request.TenantId, decision.Reason ?? "no reason given");
}
