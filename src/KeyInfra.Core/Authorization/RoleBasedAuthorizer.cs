namespace KeyInfra.Authorization;

/// <summary>
/// The built-in authorizer (<c>UseRoleBasedAccessControl()</c>): a call is allowed when the caller is a system caller,
/// or an active user or application of the tenant whose roles grant the operation's permission
/// (<see cref="KeyInfraPermissions.RequiredFor"/>) and, unless it may manage users, the key is its own.
/// </summary>
/// <remarks>
/// <para>Ownership: a key's <see cref="Keys.KeyInfo.Owner"/> is the <see cref="Caller.StableId"/> that created or
/// imported it (unless the request named another owner). A user may use the keys it owns and those of its application;
/// an application those it owns. Such a caller may create, import and list only under an owner of its own (a list
/// without an owner filter is denied), and may read the verification log only of a key it owns or filtered to the
/// records it (or its application) made.</para>
/// <para>No caller is a denial. A system caller (<see cref="Caller.ForSystem"/>) is the host itself and is allowed
/// everything: set one only for the host's own jobs, never from a request.</para>
/// <para>Warm checks answer synchronously from <see cref="AccessControlCache"/>. Thread-safe.</para>
/// </remarks>
internal sealed class RoleBasedAuthorizer(AccessControlCache cache) : IKeyInfraAuthorizer
{
    public ValueTask<AuthorizationDecision> AuthorizeAsync(AuthorizationRequest request, CancellationToken cancellationToken)
    {
        if (request.Caller is not { } caller)
        {
            return new ValueTask<AuthorizationDecision>(AuthorizationDecision.Deny("no caller: the host set none for this call"));
        }

        if (caller.Kind == CallerKind.System)
        {
            return new ValueTask<AuthorizationDecision>(AuthorizationDecision.Allow);
        }

        if (request.Operation == KeyInfraOperation.MaintainCertificates)
        {
            return new ValueTask<AuthorizationDecision>(AuthorizationDecision.Deny("certificate maintenance spans the deployment's tenants: only the host itself (a system caller) runs it"));
        }

        if (request.Operation == KeyInfraOperation.ManageMasterKeys)
        {
            return new ValueTask<AuthorizationDecision>(AuthorizationDecision.Deny("master-key operations are the deployment's, not a tenant's: only the host itself (a system caller) may run them"));
        }

        var pending = cache.GetAsync(request.TenantId, caller, cancellationToken);
        return pending.IsCompletedSuccessfully
            ? new ValueTask<AuthorizationDecision>(Decide(request, pending.Result))
            : AwaitAsync(request, pending);
    }

    private static async ValueTask<AuthorizationDecision> AwaitAsync(AuthorizationRequest request, ValueTask<PrincipalAccess> pending)
        => Decide(request, await pending.ConfigureAwait(false));

    internal static AuthorizationDecision Decide(AuthorizationRequest request, PrincipalAccess access)
    {
        if (access.Denial is { } denial)
        {
            return AuthorizationDecision.Deny(denial);
        }

        var permission = KeyInfraPermissions.RequiredFor(request.Operation);
        if (!access.Permissions.Contains(permission))
        {
            return AuthorizationDecision.Deny($"missing permission {permission}");
        }

        if (access.TenantWide)
        {
            return AuthorizationDecision.Allow;
        }

        if (request.Operation is KeyInfraOperation.ManageUsers or KeyInfraOperation.ManageHsm or KeyInfraOperation.ReadAudit or KeyInfraOperation.ManageCurves
            or KeyInfraOperation.ReadCertificateAuthorities)
        {
            // Not about keys: the permission is all there is to it.
            return AuthorizationDecision.Allow;
        }

        // Certificates have owners of their own (not key rows'): the caller's own, or its application's.
        switch (request.Operation)
        {
            case KeyInfraOperation.ManageCertificateAuthorities:
                return AuthorizationDecision.Deny("certificate authorities are the tenant's: only a caller that may manage its users (an admin) creates them or publishes their CRLs");
            case KeyInfraOperation.ReadCertificates:
                return access.Owns(request.Owner)
                    ? AuthorizationDecision.AllowCheckedOwners(access.ReadOnlyOwners)
                    : AuthorizationDecision.Deny(request.Owner is null ? "only certificates of the caller's own may be listed: filter by owner" : "the certificate is not the caller's or its application's");
            case KeyInfraOperation.IssueCertificate or KeyInfraOperation.RenewCertificate or KeyInfraOperation.RevokeCertificate or KeyInfraOperation.ExportCertificate:
                return access.Owns(request.Owner)
                    ? AuthorizationDecision.Allow
                    : AuthorizationDecision.Deny("the certificate is not the caller's or its application's");
        }

        if (!access.KeyOwnersTrusted)
        {
            return AuthorizationDecision.Deny("key rows are not all authenticated yet ('keys authenticate'): a key's owner cannot be trusted");
        }

        return request.Operation switch
        {
            // Adding to a ring that exists: the ring's latest version must be the caller's too.
            KeyInfraOperation.CreateKey or KeyInfraOperation.ImportKey => !access.Owns(request.Owner)
                ? AuthorizationDecision.Deny("the owner named is not the caller or its application")
                : request.Key is { } ringLatest && !access.Owns(ringLatest.Owner)
                    ? AuthorizationDecision.Deny("the ring is not the caller's or its application's")
                    : AuthorizationDecision.Allow,
            // The log's records belong to the caller that made them: without a key, only one's own (or one's application's).
            // Reads that list rows are allowed over the caller's owners only, which PostgreSQL's RLS enforces too.
            KeyInfraOperation.ReadLog when request.KeyId is null => access.Owns(request.Owner)
                ? AuthorizationDecision.AllowCheckedOwners(access.ReadOnlyOwners)
                : AuthorizationDecision.Deny("only the records of the caller's own keys, or those it made, may be read: filter by key or by caller id"),
            KeyInfraOperation.ReadLog => request.Key is { } logKey && access.Owns(logKey.Owner)
                ? AuthorizationDecision.AllowCheckedOwners(access.ReadOnlyOwners)
                : AuthorizationDecision.Deny("the key is not the caller's or its application's (or does not exist)"),
            KeyInfraOperation.ListKeys => access.Owns(request.Owner)
                ? AuthorizationDecision.AllowCheckedOwners(access.ReadOnlyOwners)
                : AuthorizationDecision.Deny(request.Owner is null ? "only keys of the caller's own may be listed: filter by owner" : "the owner named is not the caller or its application"),
            _ => request.Key is { } key && access.Owns(key.Owner)
                ? AuthorizationDecision.Allow
                : AuthorizationDecision.Deny("the key is not the caller's or its application's (or does not exist)"),
        };
    }
}
