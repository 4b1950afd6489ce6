using KeyInfra.Tests.Conformance;

namespace KeyInfra.PostgreSql.Tests;

/// <summary>The key row tampering attacks, on PostgreSQL as the application role (the attacker writes as the owner, past row-level security).</summary>
[TestClass]
public sealed class PostgreSqlKeyRowTamperingTests : KeyRowTamperingConformanceTests
{
    private static PostgreSqlConformanceStorage? s_storage;

    protected override ConformanceStorage Storage => s_storage!;

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context) => s_storage = await PostgreSqlConformanceStorage.CreateAsync();

    [ClassCleanup]
    public static async Task ClassCleanup() => await (s_storage?.DisposeAsync() ?? ValueTask.CompletedTask);
}
