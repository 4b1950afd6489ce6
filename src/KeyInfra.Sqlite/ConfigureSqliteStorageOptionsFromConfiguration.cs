using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KeyInfra.Sqlite;

/// <summary>
/// Binds the <c>KeyInfra:Sqlite</c> configuration section when the container has an <see cref="IConfiguration"/>;
/// it runs before the delegate given to <c>UseSqlite</c>, so code wins over configuration.
/// </summary>
internal sealed class ConfigureSqliteStorageOptionsFromConfiguration(IServiceProvider services) : IConfigureOptions<SqliteStorageOptions>
{
    public void Configure(SqliteStorageOptions options)
    {
        if (services.GetService<IConfiguration>() is { } configuration)
        {
            configuration.GetSection(SqliteStorageOptions.SectionName).Bind(options);
        }
    }
}
