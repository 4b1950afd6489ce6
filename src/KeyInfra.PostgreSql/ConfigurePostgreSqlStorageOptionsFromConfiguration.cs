using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KeyInfra.PostgreSql;

/// <summary>
/// Binds the <c>KeyInfra:PostgreSql</c> configuration section when the container has an <see cref="IConfiguration"/>;
/// it runs before the delegate given to <c>UsePostgreSql</c>, so code wins over configuration.
/// </summary>
internal sealed class ConfigurePostgreSqlStorageOptionsFromConfiguration(IServiceProvider services) : IConfigureOptions<PostgreSqlStorageOptions>
{
    public void Configure(PostgreSqlStorageOptions options)
    {
        if (services.GetService<IConfiguration>() is { } configuration)
        {
            configuration.GetSection(PostgreSqlStorageOptions.SectionName).Bind(options);
        }
    }
}
