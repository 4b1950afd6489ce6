using KeyInfra.Tests.Conformance;

namespace KeyInfra.PostgreSql.Tests;

/// <summary>The verification log's chain against a database writer, on PostgreSQL with every group written by COPY.</summary>
[TestClass]
public sealed class PostgreSqlCopyLogTamperingTests : LogTamperingConformanceTests
{
    private static PostgreSqlConformanceStorage? s_storage;

    protected override ConformanceStorage Storage => s_storage!;

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context) => s_storage = await PostgreSqlConformanceStorage.CreateAsync(configure: pg => pg.LogCopyThreshold = 0);

    [ClassCleanup]
    public static async Task ClassCleanup() => await (s_storage?.DisposeAsync() ?? ValueTask.CompletedTask);
}
