using KeyInfra.Tests.Conformance;

namespace KeyInfra.Sqlite.Tests;

/// <summary>The certificate conformance suite, on SQLite.</summary>
[TestClass]
public sealed class SqliteCertificateTests : CertificateConformanceTests
{
    private static SqliteConformanceStorage? s_storage;

    protected override ConformanceStorage Storage => s_storage!;

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context) => s_storage = await SqliteConformanceStorage.CreateAsync(nameof(SqliteCertificateTests));

    [ClassCleanup]
    public static async Task ClassCleanup() => await (s_storage?.DisposeAsync() ?? ValueTask.CompletedTask);
}
