using KeyInfra.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace KeyInfra.Sqlite;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build the context with this assembly as the migrations assembly.
/// Not used at run time.
/// </summary>
internal sealed class KeyInfraSqliteDesignTimeDbContextFactory : IDesignTimeDbContextFactory<KeyInfraDbContext>
{
    public KeyInfraDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<KeyInfraDbContext>();
        var location = SqliteDatabaseLocation.Parse("Data Source=keyinfra-design-time.db", "connectionString");
        SqliteDbContextOptions.Configure(options, location, new SqliteStorageOptions());
        return new KeyInfraDbContext(options.Options);
    }
}
