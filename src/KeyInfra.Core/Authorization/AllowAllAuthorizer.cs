namespace KeyInfra.Authorization;

/// <summary>The default authorizer: every caller may do everything, as before authorization existed.</summary>
internal sealed class AllowAllAuthorizer : IKeyInfraAuthorizer
{
    public ValueTask<AuthorizationDecision> AuthorizeAsync(AuthorizationRequest request, CancellationToken cancellationToken)
        => new(AuthorizationDecision.Allow);
}
