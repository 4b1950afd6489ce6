using KeyInfra.Errors;

namespace KeyInfra.Authorization;

/// <summary>Asking <see cref="IKeyInfraAuthorizer"/> from a package's own entry points, the way the engine does.</summary>
public static class KeyInfraAuthorizerExtensions
{
    /// <summary>
    /// Asks about <paramref name="request"/> and throws when it is denied, so a package's management calls (the PKCS#11
    /// package's <c>IHsmManager</c>) are checked like the engine's.
    /// </summary>
    /// <param name="authorizer">The registered authorizer.</param>
    /// <param name="request">The operation, the caller (<see cref="ICallerContext.Current"/>) and the tenant.</param>
    /// <param name="cancellationToken">Cancels the decision.</param>
    /// <exception cref="AccessDeniedException">KI5001: the caller may not perform the operation.</exception>
    public static async ValueTask DemandAsync(this IKeyInfraAuthorizer authorizer, AuthorizationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(authorizer);
        var decision = await authorizer.AuthorizeAsync(request, cancellationToken).ConfigureAwait(false);
        if (!decision.IsAllowed)
        {
            ThrowHelper.AccessDenied(request.Operation, request.KeyId, request.RingName, request.Caller?.StableId);
        }
    }
}
