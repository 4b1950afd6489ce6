using KeyInfra.EntityFrameworkCore;
using KeyInfra.PostgreSql.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Npgsql;

namespace KeyInfra.PostgreSql;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build the context with this assembly as the migrations assembly.
/// Not used at run time; it never connects.
/// </summary>
internal sealed class KeyInfraPostgreSqlDesignTimeDbContextFactory : IDesignTimeDbContextFactory<KeyInfraDbContext>
{
    public KeyInfraDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<KeyInfraDbContext>();
        var dataSource = NpgsqlDataSource.Create("Host=localhost;Database=keyinfra_design_time");
        PostgreSqlDbContextOptions.Configure(options, dataSource, () => null);
        return new KeyInfraDbContext(options.Options);
    }
}
