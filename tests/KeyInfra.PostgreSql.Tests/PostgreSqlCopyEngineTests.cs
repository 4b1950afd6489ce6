using KeyInfra.Tests.Conformance;

namespace KeyInfra.PostgreSql.Tests;

/// <summary>
/// The conformance suite of the whole engine, on PostgreSQL with every log group through binary COPY
/// (<see cref="PostgreSqlEngineTests"/> runs it with the default threshold, so mostly through array inserts).
/// </summary>
[TestClass]
public sealed class PostgreSqlCopyEngineTests : EngineConformanceTests
{
    private static PostgreSqlConformanceStorage? s_storage;

    protected override ConformanceStorage Storage => s_storage!;

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context) => s_storage = await PostgreSqlConformanceStorage.CreateAsync(configure: pg => pg.LogCopyThreshold = 0);

    [ClassCleanup]
    public static async Task ClassCleanup() => await (s_storage?.DisposeAsync() ?? ValueTask.CompletedTask);
}
