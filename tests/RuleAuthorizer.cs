using System.Collections.Concurrent;
using KeyInfra.Authorization;
using KeyInfra.Keys;

namespace KeyInfra.Tests;

/// <summary>
/// A real second authorizer for the tests: denies by caller id and operation, or by caller id and key, and allows the
/// rest. Shared by the test projects (linked like LogCapture.cs). Keeps every request it was asked, so tests can see what the engine handed it. With
/// <see cref="Asynchronous"/> it answers after a yield, so the engine's awaiting path runs too.
/// </summary>
internal sealed class RuleAuthorizer : IKeyInfraAuthorizer
{
    private readonly ConcurrentDictionary<(string CallerId, KeyInfraOperation Operation), string> _byOperation = new();
    private readonly ConcurrentDictionary<(string CallerId, KeyId KeyId), string> _byKey = new();

    public ConcurrentQueue<AuthorizationRequest> Seen { get; } = new();

    public bool Asynchronous { get; set; }

    public void Deny(string callerId, KeyInfraOperation operation, string reason) => _byOperation[(callerId, operation)] = reason;

    public void DenyKey(string callerId, KeyId keyId, string reason) => _byKey[(callerId, keyId)] = reason;

    public IEnumerable<AuthorizationRequest> SeenFor(string callerId) => Seen.Where(r => r.Caller?.StableId == callerId);

    public ValueTask<AuthorizationDecision> AuthorizeAsync(AuthorizationRequest request, CancellationToken cancellationToken)
    {
        Seen.Enqueue(request);
        var decision = Decide(request);
        return Asynchronous ? LaterAsync(decision) : new ValueTask<AuthorizationDecision>(decision);
    }

    private AuthorizationDecision Decide(AuthorizationRequest request)
    {
        if (request.Caller is not { } caller)
        {
            return AuthorizationDecision.Allow;
        }

        if (_byOperation.TryGetValue((caller.StableId, request.Operation), out var reason))
        {
            return AuthorizationDecision.Deny(reason);
        }

        return request.KeyId is { } keyId && _byKey.TryGetValue((caller.StableId, keyId), out reason)
            ? AuthorizationDecision.Deny(reason)
            : AuthorizationDecision.Allow;
    }

    private static async ValueTask<AuthorizationDecision> LaterAsync(AuthorizationDecision decision)
    {
        await Task.Yield();
        return decision;
    }
}
