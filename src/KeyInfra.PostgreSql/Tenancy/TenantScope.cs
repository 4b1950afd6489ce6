namespace KeyInfra.PostgreSql.Tenancy;

/// <summary>
/// The tenant KeyInfra's own storage calls run for. Repository methods take the tenant as an argument; they set
/// it here so the connection's row-level security setting is that tenant, whatever <see cref="KeyInfra.Tenancy.ITenantContext"/>
/// says at the time (the log writer, for one, runs outside any request).
/// </summary>
internal static class TenantScope
{
    private static readonly AsyncLocal<Guid?> s_current = new();

    public static Guid? Current => s_current.Value;

    /// <summary>Sets the tenant until the returned scope is disposed (in the same async flow).</summary>
    public static Scope Enter(Guid tenantId)
    {
        var previous = s_current.Value;
        s_current.Value = tenantId;
        return new Scope(previous);
    }

    public readonly struct Scope(Guid? previous) : IDisposable
    {
        public void Dispose() => s_current.Value = previous;
    }
}
