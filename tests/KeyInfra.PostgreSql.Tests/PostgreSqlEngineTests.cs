using KeyInfra.Tests.Conformance;

namespace KeyInfra.PostgreSql.Tests;

/// <summary>The conformance suite of the whole engine, on PostgreSQL as the application role, with the default storage options.</summary>
[TestClass]
public sealed class PostgreSqlEngineTests : EngineConformanceTests
{
    private static PostgreSqlConformanceStorage? s_storage;

    protected override ConformanceStorage Storage => s_storage!;

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context) => s_storage = await PostgreSqlConformanceStorage.CreateAsync();

    [ClassCleanup]
    public static async Task ClassCleanup() => await (s_storage?.DisposeAsync() ?? ValueTask.CompletedTask);
}
