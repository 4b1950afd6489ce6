using KeyInfra.Tests.Conformance;

namespace KeyInfra.PostgreSql.Tests;

/// <summary>
/// The conformance suite of the verification-log repository, on PostgreSQL with every group through binary COPY
/// (<see cref="PostgreSqlVerificationLogRepositoryTests"/> runs it with the default threshold, so through array inserts).
/// </summary>
[TestClass]
public sealed class PostgreSqlCopyVerificationLogRepositoryTests : VerificationLogRepositoryConformanceTests
{
    private static PostgreSqlConformanceStorage? s_storage;

    protected override ConformanceStorage Storage => s_storage!;

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context) => s_storage = await PostgreSqlConformanceStorage.CreateAsync(configure: pg => pg.LogCopyThreshold = 0);

    [ClassCleanup]
    public static async Task ClassCleanup() => await (s_storage?.DisposeAsync() ?? ValueTask.CompletedTask);
}
