using KeyInfra.Tenancy;

namespace KeyInfra.Authorization;

/// <summary><see cref="IKeyInfraAccess"/> over the engine's own <see cref="AccessGuard"/>.</summary>
internal sealed class KeyInfraAccess(AccessGuard access, ITenantContext tenant) : IKeyInfraAccess
{
    public ValueTask DemandAsync(KeyInfraOperation operation, CancellationToken cancellationToken = default)
        => access.DemandAsync(operation, tenant.TenantId, null, null, null, cancellationToken);
}
