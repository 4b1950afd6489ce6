using System.Text.Json;
using Npgsql;

namespace KeyInfra.Sample.Tests;

/// <summary>
/// The sample on PostgreSQL (KEYINFRA_POSTGRES), against the server ./test.sh provisions. The variable is process-wide,
/// so this class runs alone.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class PostgreSqlSampleTests
{
    private const string Variable = "KEYINFRA_POSTGRES";
    private const string MasterKeyVariable = "KEYINFRA_MASTER_KEY";
    private const string MigrationVariable = "KEYINFRA_POSTGRES_MIGRATION";

    [TestMethod]
    public async Task Demo_OnPostgreSql_RunsTwiceAndKeepsItsKeys()
    {
        // Arrange: a fresh database owned by the owner role, which migrates it; the sample runs as the application role.
        var admin = RequireVariable("KEYINFRA_TEST_PG_ADMIN");
        var owner = RequireVariable("KEYINFRA_TEST_PG_OWNER");
        var app = RequireVariable("KEYINFRA_TEST_PG_APP");
        var database = "keyinfra_sample_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync(admin, $"CREATE DATABASE {database} OWNER keyinfra_owner");
        await ExecuteAsync(
            new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString,
            "REVOKE CREATE ON SCHEMA public FROM PUBLIC; ALTER DEFAULT PRIVILEGES FOR ROLE keyinfra_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO keyinfra_app;");
        var saved = Environment.GetEnvironmentVariable(Variable);
        var savedMasterKey = Environment.GetEnvironmentVariable(MasterKeyVariable);
        var savedMigration = Environment.GetEnvironmentVariable(MigrationVariable);
        try
        {
            // On PostgreSQL the sample takes the master key from the environment only, and migrates as the owner.
            Environment.SetEnvironmentVariable(MasterKeyVariable, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
            Environment.SetEnvironmentVariable(Variable, new NpgsqlConnectionStringBuilder(app) { Database = database }.ConnectionString);
            Environment.SetEnvironmentVariable(MigrationVariable, new NpgsqlConnectionStringBuilder(owner) { Database = database }.ConnectionString);
            using var workspace = new SampleWorkspace();

            // Act
            var first = await workspace.RunAsync();
            var second = await workspace.RunAsync();
            var list = await workspace.RunAsync("keys", "list", "--json");
            var rewrap = await workspace.RunAsync("master-key", "rewrap");
            var status = await workspace.RunAsync("master-key", "status", "--json");

            // Assert
            Assert.AreEqual(0, first.ExitCode, first.Error);
            Assert.AreEqual(0, second.ExitCode, second.Error);
            StringAssert.Contains(first.Output, $"PostgreSQL database '{database}'");
            Assert.DoesNotContain("Password", first.Output + first.Error, StringComparison.OrdinalIgnoreCase);
            Assert.IsFalse(File.Exists(Path.Combine(workspace.DataDirectory, "keyinfra.db")), "Nothing should go to the SQLite file.");
            using var keys = JsonDocument.Parse(list.Output);
            Assert.IsGreaterThanOrEqualTo(2 * KeyInfra.Keys.KeySpec.All.Count, CountKeys(keys.RootElement), list.Output);
            Assert.AreEqual(0, rewrap.ExitCode, rewrap.Error);
            StringAssert.Contains(rewrap.Output, "Done: everything is under master key");
            Assert.AreEqual(0, status.ExitCode, status.Error);
            Assert.IsTrue(status.Json().RootElement.GetProperty("rowsStrict").GetBoolean());
        }
        finally
        {
            Environment.SetEnvironmentVariable(Variable, saved);
            Environment.SetEnvironmentVariable(MasterKeyVariable, savedMasterKey);
            Environment.SetEnvironmentVariable(MigrationVariable, savedMigration);
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    [TestMethod]
    public async Task Run_OnPostgreSqlWithoutMasterKeyVariable_RefusesTheDevelopmentKey()
    {
        // Arrange: PostgreSQL is selected and no master key variable is set (the refusal comes before any connection).
        var saved = Environment.GetEnvironmentVariable(Variable);
        var savedMasterKey = Environment.GetEnvironmentVariable(MasterKeyVariable);
        try
        {
            Environment.SetEnvironmentVariable(MasterKeyVariable, null);
            Environment.SetEnvironmentVariable(Variable, "Host=127.0.0.1;Port=1;Database=nowhere;Username=nobody;Password=unused-pw-31x;SSL Mode=Disable");
            using var workspace = new SampleWorkspace();

            // Act
            var result = await workspace.RunAsync("keys", "list");

            // Assert
            Assert.AreEqual(2, result.ExitCode, result.Error);
            StringAssert.Contains(result.Error, "KEYINFRA_MASTER_KEY");
            Assert.IsFalse(File.Exists(workspace.DevelopmentKeyPath), "No development key is created for PostgreSQL.");
            Assert.DoesNotContain("unused-pw-31x", result.Output + result.Error, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Variable, saved);
            Environment.SetEnvironmentVariable(MasterKeyVariable, savedMasterKey);
        }
    }

    private static int CountKeys(JsonElement root)
        => root.ValueKind == JsonValueKind.Array ? root.GetArrayLength()
            : root.TryGetProperty("items", out var items) ? items.GetArrayLength()
            : root.TryGetProperty("keys", out var keys) ? keys.GetArrayLength()
            : 0;

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    // In CI a test that cannot reach its server fails; elsewhere it is inconclusive, saying why.
    private static string RequireVariable(string variable)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(value))
        {
            return value;
        }

        var message = $"{variable} is not set: no PostgreSQL server to run the sample against. Run ./test.sh, which provisions one.";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message);
        }

        Assert.Inconclusive(message);
        return string.Empty;
    }
}
