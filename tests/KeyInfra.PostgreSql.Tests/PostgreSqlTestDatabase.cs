using KeyInfra.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace KeyInfra.PostgreSql.Tests;

/// <summary>
/// A database of its own on a test server, set up as docs/postgresql.md tells a DBA to: owned by the owner role,
/// which migrates; the application role gets DML rights on what the owner creates and is subject to row-level security.
/// Dropped on dispose.
/// </summary>
internal sealed class PostgreSqlTestDatabase : IAsyncDisposable
{
    private readonly PostgreSqlServerLogins _server;

    private PostgreSqlTestDatabase(string name, PostgreSqlServerLogins server)
    {
        Name = name;
        _server = server;
        AdminConnectionString = WithDatabase(server.Admin, name);
        OwnerConnectionString = WithDatabase(server.Owner, name);
        AppConnectionString = WithDatabase(server.App, name);
    }

    public string Name { get; }

    public string AdminConnectionString { get; }

    public string OwnerConnectionString { get; }

    public string AppConnectionString { get; }

    /// <param name="migrate">Whether the owner role migrates it.</param>
    /// <param name="server">The server; <see cref="PostgreSqlTestServer.Shared"/> when <c>null</c>.</param>
    public static async Task<PostgreSqlTestDatabase> CreateAsync(bool migrate = true, PostgreSqlServerLogins? server = null)
    {
        server ??= PostgreSqlTestServer.Shared;
        var database = new PostgreSqlTestDatabase("keyinfra_test_" + Guid.NewGuid().ToString("N")[..12], server);
        try
        {
            await ExecuteAsync(server.Admin, $"CREATE DATABASE {database.Name} OWNER keyinfra_owner");
        }
        catch (NpgsqlException ex) when (ex is not PostgresException)
        {
            PostgreSqlTestServer.Unreachable(ex);
        }

        await ExecuteAsync(
            database.AdminConnectionString,
            "REVOKE CREATE ON SCHEMA public FROM PUBLIC; ALTER DEFAULT PRIVILEGES FOR ROLE keyinfra_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO keyinfra_app;");
        if (migrate)
        {
            await using var owner = database.BuildServices(database.OwnerConnectionString);
            await owner.GetRequiredService<IKeyInfraMigrator>().MigrateAsync();
        }

        return database;
    }

    public static string WithDatabase(string connectionString, string database)
        => new NpgsqlConnectionStringBuilder(connectionString) { Database = database }.ConnectionString;

    /// <summary>Services as a host without a generic host would register them (no hosted services run).</summary>
    public ServiceProvider BuildServices(string? connectionString = null, Action<PostgreSqlStorageOptions>? configure = null, Action<KeyInfraOptions>? options = null)
    {
        var services = new ServiceCollection();
        services.AddKeyInfrastructure(o =>
        {
            o.MigrateOnStartup = false;
            options?.Invoke(o);
        }).UsePostgreSql(connectionString ?? AppConnectionString, configure);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    public static async Task ExecuteAsync(string connectionString, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync();
    }

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    public Task<T> AdminScalarAsync<T>(string sql, params object[] parameters) => ScalarAsync<T>(AdminConnectionString, sql, parameters);

    public Task AdminExecuteAsync(string sql, params object[] parameters) => ExecuteAsync(AdminConnectionString, sql, parameters);

    /// <summary>
    /// A connection as the application role with the settings row-level security reads: the tenant, and the owner scope
    /// (<c>null</c> for none, the whole tenant). The caller disposes it.
    /// </summary>
    public async Task<Npgsql.NpgsqlConnection> OpenAsApplicationAsync(Guid tenant, string[]? owners)
    {
        var connection = new Npgsql.NpgsqlConnection(AppConnectionString);
        await connection.OpenAsync();
        await using var set = new Npgsql.NpgsqlCommand("SELECT set_config('keyinfra.tenant_id', $1, false), set_config('keyinfra.owners', coalesce($2::text, ''), false)", connection);
        set.Parameters.Add(new Npgsql.NpgsqlParameter { Value = tenant.ToString() });
        set.Parameters.Add(new Npgsql.NpgsqlParameter { Value = (object?)owners ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
        await set.ExecuteNonQueryAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(_server.Admin, $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }
}
