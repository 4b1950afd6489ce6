using KeyInfra.Tests.Conformance;

namespace KeyInfra.Sqlite.Tests;

/// <summary>The private-key tampering attacks of the conformance suite, on SQLite.</summary>
[TestClass]
public sealed class SqlitePrivateKeyTamperingTests : PrivateKeyTamperingConformanceTests
{
    private static SqliteConformanceStorage? s_storage;

    protected override ConformanceStorage Storage => s_storage!;

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context) => s_storage = await SqliteConformanceStorage.CreateAsync(nameof(SqlitePrivateKeyTamperingTests));

    [ClassCleanup]
    public static async Task ClassCleanup() => await (s_storage?.DisposeAsync() ?? ValueTask.CompletedTask);
}
