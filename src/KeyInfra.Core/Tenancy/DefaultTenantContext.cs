using Microsoft.Extensions.Options;

namespace KeyInfra.Tenancy;

/// <summary>The single-tenant default: every operation runs for <see cref="KeyInfraOptions.DefaultTenantId"/>.</summary>
internal sealed class DefaultTenantContext(IOptions<KeyInfraOptions> options) : ITenantContext
{
    public Guid TenantId { get; } = options.Value.DefaultTenantId;
}
