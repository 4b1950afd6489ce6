namespace KeyInfra.PostgreSql.Tests;

/// <summary>The connection strings of one test server's admin, owner and application roles (database "keyinfra").</summary>
internal sealed record PostgreSqlServerLogins(string Admin, string Owner, string App);
