using Npgsql;

namespace KeyInfra.PostgreSql.Connection;

/// <summary>
/// Where the last <c>UsePostgreSql</c> call said connections come from: a connection string KeyInfra builds its own
/// pool from (and owns), or a data source the host built and owns.
/// </summary>
internal sealed class PostgreSqlConnectionSource
{
    private PostgreSqlConnectionSource(string? connectionString, Func<IServiceProvider, NpgsqlDataSource>? dataSource)
    {
        ConnectionString = connectionString;
        HostDataSource = dataSource;
    }

    /// <summary>The connection string, already checked for form by <see cref="PostgreSqlConnectionSettings.Parse"/>.</summary>
    public string? ConnectionString { get; }

    /// <summary>Resolves the host's data source; <c>null</c> when KeyInfra builds its own.</summary>
    public Func<IServiceProvider, NpgsqlDataSource>? HostDataSource { get; }

    public static PostgreSqlConnectionSource FromConnectionString(string connectionString) => new(connectionString, null);

    public static PostgreSqlConnectionSource FromHost(Func<IServiceProvider, NpgsqlDataSource> dataSource) => new(null, dataSource);

    // The connection string holds the password.
    public override string ToString() => HostDataSource is null ? "PostgreSqlConnectionSource(connection string)" : "PostgreSqlConnectionSource(host data source)";
}
