using System.Reflection;
using KeyInfra.Keys;
using KeyInfra.Storage;
using KeyInfra.Tests.Conformance;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace KeyInfra.Sqlite.Tests;

/// <summary>The conformance suite's database on SQLite: a real, migrated file in a temp folder.</summary>
internal sealed class SqliteConformanceStorage : ConformanceStorage
{
    private readonly SqliteTestDatabase _database;
    private readonly string _directory;
    private readonly bool _ownsDirectory;

    private SqliteConformanceStorage(string directory, bool ownsDirectory)
    {
        _directory = directory;
        _ownsDirectory = ownsDirectory;
        _database = new SqliteTestDatabase(directory, $"conformance-{Guid.NewGuid():N}.db");
    }

    public override string ProviderName => "SQLite";

    public override IServiceProvider Services => _database.Services;

    public override IKeyInfraMigrator Migrator => _database.Migrator;

    public override Assembly ProviderAssembly => typeof(KeyInfraSqliteBuilderExtensions).Assembly;

    public override string MigrationsNamespace => "KeyInfra.Sqlite.Migrations";

    public override string MigrationsHistoryTable => SqliteDbContextOptions.MigrationsHistoryTable;

    public override bool StoresNulInText => true;

    public override TimeSpan TimeResolution => TimeSpan.FromTicks(1);

    /// <summary>A migrated database in a temp folder of its own, deleted with the fixture.</summary>
    public static async Task<SqliteConformanceStorage> CreateAsync(string testClass, bool migrate = true)
    {
        var storage = new SqliteConformanceStorage(SqliteTestDatabase.NewDirectory(testClass), ownsDirectory: true);
        if (migrate)
        {
            await storage.Migrator.MigrateAsync();
        }

        return storage;
    }

    public override IKeyInfrastructureBuilder UseStorage(IKeyInfrastructureBuilder builder) => builder.UseSqlite(_database.ConnectionString);

    public override async Task<ConformanceStorage> CreateAnotherAsync(bool migrate = true)
    {
        var storage = new SqliteConformanceStorage(_directory, ownsDirectory: false);
        if (migrate)
        {
            await storage.Migrator.MigrateAsync();
        }

        return storage;
    }

    public override Task RestartAsync() => _database.RestartAsync();

    public override Task<int> ExecuteAsync(string sql, params object?[] parameters)
        => _database.WithConnectionAsync(async connection =>
        {
            await using var command = Command(connection, sql, parameters);
            return await command.ExecuteNonQueryAsync();
        });

    // SQLite has no roles: an attacker with the file drops the append-only triggers, writes, and puts them back.
    public override Task<int> TamperAsync(string sql, params object?[] parameters)
        => _database.WithConnectionAsync(async connection =>
        {
            var triggers = new List<(string Name, string Sql)>();
            await using (var list = Command(connection, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'keyinfra_%_no_%'", []))
            await using (var reader = await list.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    triggers.Add((reader.GetString(0), reader.GetString(1)));
                }
            }

            foreach (var (name, _) in triggers)
            {
                await using var drop = Command(connection, $"DROP TRIGGER \"{name}\"", []);
                await drop.ExecuteNonQueryAsync();
            }

            try
            {
                await using var command = Command(connection, sql, parameters);
                return await command.ExecuteNonQueryAsync();
            }
            finally
            {
                foreach (var (_, triggerSql) in triggers)
                {
                    await using var create = Command(connection, triggerSql, []);
                    await create.ExecuteNonQueryAsync();
                }
            }
        });

    public override async Task<IReadOnlyList<string>> ListTablesAsync()
        => await _database.WithConnectionAsync(async connection =>
        {
            await using var command = Command(connection, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", []);
            await using var reader = await command.ExecuteReaderAsync();
            var tables = new List<string>();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }

            return tables;
        });

    public override async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        if (_ownsDirectory)
        {
            SqliteTestDatabase.DeleteDirectory(_directory);
        }
    }

    protected override Task<object?> ScalarCoreAsync(string sql, object?[] parameters)
        => _database.WithConnectionAsync(async connection =>
        {
            await using var command = Command(connection, sql, parameters);
            return await command.ExecuteScalarAsync();
        });

    // SQLite names parameters: $1, $2, … are names like any other. Ids are stored as EF Core's upper-case "D" text.
    private static System.Data.Common.DbCommand Command(System.Data.Common.DbConnection connection, string sql, object?[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < parameters.Length; i++)
        {
            command.Parameters.Add(new SqliteParameter($"${i + 1}", parameters[i] switch
            {
                null => DBNull.Value,
                Guid id => id.ToString().ToUpperInvariant(),
                KeyId id => id.Value.ToString().ToUpperInvariant(),
                var value => value,
            }));
        }

        return command;
    }
}
