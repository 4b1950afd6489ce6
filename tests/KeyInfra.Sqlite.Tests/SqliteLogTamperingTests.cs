using KeyInfra.Tests.Conformance;

namespace KeyInfra.Sqlite.Tests;

/// <summary>The verification log's chain against a database writer, on SQLite (the attacker drops the append-only triggers).</summary>
[TestClass]
public sealed class SqliteLogTamperingTests : LogTamperingConformanceTests
{
    private static SqliteConformanceStorage? s_storage;

    protected override ConformanceStorage Storage => s_storage!;

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context) => s_storage = await SqliteConformanceStorage.CreateAsync(nameof(SqliteLogTamperingTests));

    [ClassCleanup]
    public static async Task ClassCleanup() => await (s_storage?.DisposeAsync() ?? ValueTask.CompletedTask);
}
