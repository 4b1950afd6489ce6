using System.Reflection;
using KeyInfra.Keys;
using KeyInfra.PostgreSql.Storage;
using KeyInfra.Storage;
using KeyInfra.Tests.Conformance;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace KeyInfra.PostgreSql.Tests;

/// <summary>
/// The conformance suite's database on PostgreSQL: a fresh database on the test server, migrated by the owner role;
/// the repositories run as the application role under row-level security, raw SQL as the admin.
/// </summary>
internal sealed class PostgreSqlConformanceStorage : ConformanceStorage
{
    private readonly PostgreSqlTestDatabase _database;
    private readonly Action<PostgreSqlStorageOptions>? _configure;
    private readonly ServiceProvider _owner;
    private ServiceProvider _application;

    private PostgreSqlConformanceStorage(PostgreSqlTestDatabase database, Action<PostgreSqlStorageOptions>? configure)
    {
        _database = database;
        _configure = configure;
        _owner = database.BuildServices(database.OwnerConnectionString);
        _application = database.BuildServices(configure: configure);
    }

    public override string ProviderName => "PostgreSQL";

    /// <summary>The database, for tests that need its roles' connection strings.</summary>
    public PostgreSqlTestDatabase Database => _database;

    public override IServiceProvider Services => _application;

    public override IKeyInfraMigrator Migrator => _owner.GetRequiredService<IKeyInfraMigrator>();

    public override Assembly ProviderAssembly => typeof(KeyInfraPostgreSqlBuilderExtensions).Assembly;

    public override string MigrationsNamespace => "KeyInfra.PostgreSql.Migrations";

    public override string MigrationsHistoryTable => PostgreSqlDbContextOptions.MigrationsHistoryTable;

    public override bool StoresNulInText => false;

    public override TimeSpan TimeResolution => TimeSpan.FromMicroseconds(1);

    /// <summary>A fresh database; <paramref name="configure"/> sets the application's storage options.</summary>
    public static async Task<PostgreSqlConformanceStorage> CreateAsync(bool migrate = true, Action<PostgreSqlStorageOptions>? configure = null)
        => new(await PostgreSqlTestDatabase.CreateAsync(migrate), configure);

    public override IKeyInfrastructureBuilder UseStorage(IKeyInfrastructureBuilder builder)
    {
        // The owner migrated the database; the application role could not.
        builder.Services.Configure<KeyInfraOptions>(o => o.MigrateOnStartup = false);
        return builder.UsePostgreSql(_database.AppConnectionString, _configure);
    }

    public override async Task<ConformanceStorage> CreateAnotherAsync(bool migrate = true) => await CreateAsync(migrate, _configure);

    public override async Task RestartAsync()
    {
        await _application.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        _application = _database.BuildServices(configure: _configure);
    }

    public override async Task<int> ExecuteAsync(string sql, params object?[] parameters)
    {
        await using var connection = new NpgsqlConnection(_database.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    public override async Task<int> ExecuteAsApplicationAsync(string sql, params object?[] parameters)
    {
        await using var connection = new NpgsqlConnection(_database.AppConnectionString);
        await connection.OpenAsync();
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    public override async Task<IReadOnlyList<string>> ListTablesAsync()
    {
        await using var connection = new NpgsqlConnection(_database.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = Command(connection, "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1", []);
        await using var reader = await command.ExecuteReaderAsync();
        var tables = new List<string>();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    public override async ValueTask DisposeAsync()
    {
        await _application.DisposeAsync();
        await _owner.DisposeAsync();
        await _database.DisposeAsync();
    }

    protected override async Task<object?> ScalarCoreAsync(string sql, object?[] parameters)
    {
        await using var connection = new NpgsqlConnection(_database.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteScalarAsync();
    }

    // Positional parameters; ids are uuid.
    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, object?[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter
            {
                Value = parameter switch
                {
                    null => DBNull.Value,
                    KeyId id => id.Value,
                    var value => value,
                },
            });
        }

        return command;
    }
}
