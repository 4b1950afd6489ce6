using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace KeyInfra.Sample.Tests;

[TestClass]
public sealed class ReencryptCommandTests
{
    [TestMethod]
    public async Task Reencrypt_KeysUnderCurrentMasterKey_PrintsSummaryWithThemUnchanged()
    {
        // Arrange
        using var workspace = new SampleWorkspace();
        await workspace.CreateKeyAsync("ecdsa-p256", "one");
        await workspace.CreateKeyAsync("ed25519", "two");

        // Act
        var table = await workspace.RunAsync("reencrypt");
        var json = await workspace.RunAsync("reencrypt", "--json");

        // Assert
        table.AssertExitCode(0);
        StringAssert.Contains(table.Output, "REWRAPPED");
        json.AssertExitCode(0);
        var root = json.Json().RootElement;
        Assert.AreEqual(0, root.GetProperty("encrypted").GetInt32());
        Assert.AreEqual(0, root.GetProperty("rewrapped").GetInt32());
        Assert.AreEqual(2, root.GetProperty("unchanged").GetInt32());
    }

    [TestMethod]
    public async Task Reencrypt_PlaintextPrivateKeyPlanted_ListsItAndExitsNonZeroUnlessTheUnsafeFlagIsGiven()
    {
        // Arrange: a database writer replaces a key's private key with plaintext PKCS#8 (of a key not matching the row).
        using var workspace = new SampleWorkspace();
        var keyId = await workspace.CreateKeyAsync("ecdsa-p256", "planted");
        await workspace.CreateKeyAsync("ed25519", "honest");
        using (var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(workspace.DataDirectory, "keyinfra.db") }.ToString();
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE private_keys SET protection = 'none', key_material = $material, master_key_id = NULL WHERE lower(key_id) = lower($id)";
            command.Parameters.AddWithValue("$material", attacker.ExportPkcs8PrivateKey());
            command.Parameters.AddWithValue("$id", keyId);
            Assert.AreEqual(1, await command.ExecuteNonQueryAsync());
        }

        SqliteConnection.ClearAllPools();

        // Act
        var table = await workspace.RunAsync("reencrypt");
        var json = await workspace.RunAsync("reencrypt", "--json");
        var withUnsafeFlag = await workspace.RunAsync("reencrypt", "--unsafe-read-plaintext-private-keys", "--json");

        // Assert: reported every time (the flag still requires the key to match its public key), never encrypted.
        table.AssertExitCode(3);
        StringAssert.Contains(table.Output, keyId);
        StringAssert.Contains(table.Output, "KI2103");
        json.AssertExitCode(3);
        var skipped = json.Json().RootElement.GetProperty("skipped");
        Assert.AreEqual(1, skipped.GetArrayLength());
        Assert.AreEqual("KI2103", skipped[0].GetProperty("errorCode").GetString());
        withUnsafeFlag.AssertExitCode(3);
        Assert.AreEqual("KI2104", withUnsafeFlag.Json().RootElement.GetProperty("skipped")[0].GetProperty("errorCode").GetString());
        Assert.AreEqual(0, withUnsafeFlag.Json().RootElement.GetProperty("encrypted").GetInt32());
    }
}
