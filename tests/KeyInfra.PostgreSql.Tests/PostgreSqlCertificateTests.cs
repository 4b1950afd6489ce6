using KeyInfra.Tests.Conformance;
using Npgsql;

namespace KeyInfra.PostgreSql.Tests;

/// <summary>The certificate conformance suite, on PostgreSQL as the application role.</summary>
[TestClass]
public sealed class PostgreSqlCertificateTests : CertificateConformanceTests
{
    private static PostgreSqlConformanceStorage? s_storage;

    protected override ConformanceStorage Storage => s_storage!;

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context) => s_storage = await PostgreSqlConformanceStorage.CreateAsync();

    [ClassCleanup]
    public static async Task ClassCleanup() => await (s_storage?.DisposeAsync() ?? ValueTask.CompletedTask);

    [TestMethod]
    [DataRow("UPDATE certificates SET row_mac = row_mac, row_mac_master_key_id = row_mac_master_key_id, status = status, renewed_by_id = renewed_by_id", DisplayName = "certificates: MAC and state")]
    [DataRow("UPDATE revoked_certificates SET row_mac = row_mac, row_mac_master_key_id = row_mac_master_key_id", DisplayName = "revoked_certificates: MAC")]
    public async Task ApplicationRole_MayReplaceMacsAndState(string sql)
        => await Storage.ExecuteAsApplicationAsync(sql);

    [TestMethod]
    [DataRow("UPDATE certificates SET owner = owner")]
    [DataRow("UPDATE certificates SET der = der")]
    [DataRow("UPDATE certificates SET key_id = key_id")]
    [DataRow("UPDATE revoked_certificates SET reason = reason")]
    [DataRow("UPDATE revoked_certificates SET serial_number = serial_number")]
    [DataRow("DELETE FROM revoked_certificates")]
    public async Task ApplicationRole_MayNotChangeWhatTheMacsCover(string sql)
    {
        // What a MAC covers would fail it anyway; the grants keep even the attempt from the application role.
        var e = await Assert.ThrowsAsync<PostgresException>(() => Storage.ExecuteAsApplicationAsync(sql));

        Assert.AreEqual("42501", e.SqlState);
    }
}
