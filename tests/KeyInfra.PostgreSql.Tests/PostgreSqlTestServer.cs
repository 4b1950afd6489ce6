using Npgsql;

namespace KeyInfra.PostgreSql.Tests;

/// <summary>
/// The PostgreSQL server test.sh provisions, described by its KEYINFRA_TEST_PG_* variables. Without them a test
/// fails in CI (CI=true) and is inconclusive elsewhere, saying how to get a server.
/// </summary>
internal static class PostgreSqlTestServer
{
    public static string AdminConnectionString => Require("KEYINFRA_TEST_PG_ADMIN");

    public static string OwnerConnectionString => Require("KEYINFRA_TEST_PG_OWNER");

    public static string AppConnectionString => Require("KEYINFRA_TEST_PG_APP");

    public static string Host => Require("KEYINFRA_TEST_PG_HOST");

    public static string AltHost => Require("KEYINFRA_TEST_PG_ALT_HOST");

    public static string CaPath => Require("KEYINFRA_TEST_PG_CA");

    public static string WrongCaPath => Require("KEYINFRA_TEST_PG_WRONG_CA");

    /// <summary>The shared server every test but the restart test uses.</summary>
    public static PostgreSqlServerLogins Shared => new(AdminConnectionString, OwnerConnectionString, AppConnectionString);

    /// <summary>A second server, only for the test that stops and starts one while other test processes use the first.</summary>
    public static PostgreSqlServerLogins Restartable => new(
        Require("KEYINFRA_TEST_PG_RESTARTABLE_ADMIN"), Require("KEYINFRA_TEST_PG_RESTARTABLE_OWNER"), Require("KEYINFRA_TEST_PG_RESTARTABLE_APP"));

    /// <summary>The pg_ctl wrapper of <see cref="Restartable"/>.</summary>
    public static string RestartablePgCtl => Require("KEYINFRA_TEST_PG_RESTARTABLE_CTL");

    public static string Password(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString).Password!;

    /// <summary>The variables are set but the server does not answer: fail in CI, inconclusive elsewhere.</summary>
    public static void Unreachable(Exception error)
    {
        var host = Environment.GetEnvironmentVariable("KEYINFRA_TEST_PG_HOST");
        var port = Environment.GetEnvironmentVariable("KEYINFRA_TEST_PG_PORT");
        Skip($"The PostgreSQL test server at {host}:{port} does not answer ({error.GetType().Name}: {error.Message}). Is it still running? ./test.sh starts one for the run.");
    }

    public static string Require(string variable)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(value))
        {
            return value;
        }

        Skip($"{variable} is not set, so there is no PostgreSQL server to test against. Run ./test.sh, which provisions one, "
            + "or in bash: source tests/provision-postgresql.sh && keyinfra_pg_start, then dotnet test --project tests/KeyInfra.PostgreSql.Tests.");
        return string.Empty;
    }

    // In CI a test that cannot reach its service fails; elsewhere it is inconclusive, saying why.
    private static void Skip(string message)
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message);
        }

        Assert.Inconclusive(message);
    }
}
