namespace KeyInfra.Tenancy;

/// <summary>
/// Tells KeyInfra which tenant the current operation runs for. Every key, record and secret is owned by
/// a tenant, and every read and write is limited to the current one.
/// </summary>
/// <remarks>
/// The default implementation returns <see cref="KeyInfraOptions.DefaultTenantId"/> (a single-tenant host).
/// A multi-tenant host registers its own, typically backed by an <see cref="AsyncLocal{T}"/> or the
/// current request; it is called from singletons, so it must not be scoped.
/// </remarks>
public interface ITenantContext
{
    /// <summary>The current tenant's id.</summary>
    Guid TenantId { get; }
}
