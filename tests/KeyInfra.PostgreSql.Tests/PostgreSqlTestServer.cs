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

    public static string PgCtl => Require("KEYINFRA_TEST_PG_CTL");

    public static string Password(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString).Password!;

    public static string Require(string variable)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(value))
        {
            return value;
        }

        var message = $"{variable} is not set, so there is no PostgreSQL server to test against. Run ./test.sh, which provisions one, "
            + "or in bash: source tests/provision-postgresql.sh && keyinfra_pg_start, then dotnet test --project tests/KeyInfra.PostgreSql.Tests.";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message);
        }

        Assert.Inconclusive(message);
        return string.Empty;
    }
}
