using KeyInfra.Tests.Conformance;

namespace KeyInfra.Sqlite.Tests;

/// <summary>The conformance suite of the HSM module and slot repository, on SQLite.</summary>
[TestClass]
public sealed class SqliteHsmRepositoryTests : HsmRepositoryConformanceTests
{
    private static SqliteConformanceStorage? s_storage;

    protected override ConformanceStorage Storage => s_storage!;

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context) => s_storage = await SqliteConformanceStorage.CreateAsync(nameof(SqliteHsmRepositoryTests));

    [ClassCleanup]
    public static async Task ClassCleanup() => await (s_storage?.DisposeAsync() ?? ValueTask.CompletedTask);
}
