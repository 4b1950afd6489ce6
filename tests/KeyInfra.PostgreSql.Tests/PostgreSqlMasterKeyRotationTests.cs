using KeyInfra.Tests.Conformance;
using Npgsql;

namespace KeyInfra.PostgreSql.Tests;

/// <summary>The master key rotation conformance suite, on PostgreSQL as the application role; and the re-wrap function's own limits.</summary>
[TestClass]
public sealed class PostgreSqlMasterKeyRotationTests : MasterKeyRotationConformanceTests
{
    private static PostgreSqlConformanceStorage? s_storage;

    protected override ConformanceStorage Storage => s_storage!;

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context) => s_storage = await PostgreSqlConformanceStorage.CreateAsync();

    [ClassCleanup]
    public static async Task ClassCleanup() => await (s_storage?.DisposeAsync() ?? ValueTask.CompletedTask);

    [TestMethod]
    [DataRow(false, DisplayName = "no tenant set")]
    [DataRow(true, DisplayName = "another tenant set")]
    public async Task RewrapFunction_ForADigestOutsideTheConnectionsTenant_IsRefused(bool setAnotherTenant)
    {
        var sql = setAnotherTenant
            ? "SELECT keyinfra_rewrap_log_digest($1, $2, 1, $3, 'old', 'new', $3, false) FROM (SELECT set_config('keyinfra.tenant_id', $4::text, false)) s"
            : "SELECT keyinfra_rewrap_log_digest($1, $2, 1, $3, 'old', 'new', $3, false)";
        object?[] parameters = setAnotherTenant
            ? [Guid.NewGuid(), Guid.NewGuid(), new byte[32], Guid.NewGuid().ToString()]
            : [Guid.NewGuid(), Guid.NewGuid(), new byte[32]];

        var e = await Assert.ThrowsAsync<PostgresException>(() => Storage.ExecuteAsApplicationAsync(sql, parameters));

        Assert.AreEqual("42501", e.SqlState);
    }

    [TestMethod]
    public async Task ApplicationRole_UpdateOfTheRewrapColumns_IsRefused()
    {
        // Only through the function, which checks its input and the tenant.
        var e = await Assert.ThrowsAsync<PostgresException>(() => Storage.ExecuteAsApplicationAsync("UPDATE verification_log_digests SET rewrap_master_key_id = 'x'"));

        Assert.AreEqual("42501", e.SqlState);
    }
}
