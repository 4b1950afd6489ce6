using KeyInfra.Tests.Conformance;

namespace KeyInfra.Sqlite.Tests;

/// <summary>The verification log's seal interval, on SQLite.</summary>
[TestClass]
public sealed class SqliteLogSealTests : LogSealConformanceTests
{
    private static SqliteConformanceStorage? s_storage;

    protected override ConformanceStorage Storage => s_storage!;

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context) => s_storage = await SqliteConformanceStorage.CreateAsync(nameof(SqliteLogSealTests));

    [ClassCleanup]
    public static async Task ClassCleanup() => await (s_storage?.DisposeAsync() ?? ValueTask.CompletedTask);
}
