using KeyInfra.Tenancy;

namespace KeyInfra.PostgreSql.Tests;

/// <summary>A multi-tenant host's tenant context, as a host would write one: the tenant of the current async flow.</summary>
internal sealed class TestTenantContext : ITenantContext
{
    private static readonly AsyncLocal<Guid?> s_tenant = new();

    public Guid TenantId => s_tenant.Value ?? Guid.Empty;

    public static IDisposable Use(Guid tenantId)
    {
        var previous = s_tenant.Value;
        s_tenant.Value = tenantId;
        return new Reset(previous);
    }

    private sealed class Reset(Guid? previous) : IDisposable
    {
        public void Dispose() => s_tenant.Value = previous;
    }
}
