using Microsoft.EntityFrameworkCore;

namespace KeyInfra.EntityFrameworkCore;

/// <summary>
/// The storage provider's configuration of <see cref="KeyInfraDbContext"/>, held as a service so that the
/// last <c>Use…</c> call replaces it (EF Core itself would run every registered configuration in turn).
/// </summary>
internal sealed class KeyInfraDbContextConfigurer(Action<IServiceProvider, DbContextOptionsBuilder> configure)
{
    public void Configure(IServiceProvider services, DbContextOptionsBuilder options) => configure(services, options);
}
