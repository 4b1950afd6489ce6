using KeyInfra.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Turns on KeyInfra's own access control.</summary>
public static class KeyInfraAccessControlBuilderExtensions
{
    /// <summary>
    /// Enforces roles and permissions on every call: the built-in authorizer allows a call only when the caller
    /// (<see cref="ICallerContext"/>) is a system caller, or an active user or application of the tenant whose roles
    /// grant the operation's permission and, unless it may manage users, whose own (or whose application's) key it is.
    /// A call without a caller is denied. See docs/access-control.md.
    /// </summary>
    /// <remarks>
    /// Without this call KeyInfra allows every call (its default authorizer trusts the host), and users, roles and
    /// applications are only stored. This replaces whatever <see cref="IKeyInfraAuthorizer"/> was registered before;
    /// a host with its own rules registers its authorizer instead (and may still use <see cref="RolePermissions"/>).
    /// Safe to call more than once.
    /// </remarks>
    /// <param name="builder">The KeyInfra builder.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IKeyInfrastructureBuilder UseRoleBasedAccessControl(this IKeyInfrastructureBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IKeyInfraAuthorizer, RoleBasedAuthorizer>());
        return builder;
    }
}
