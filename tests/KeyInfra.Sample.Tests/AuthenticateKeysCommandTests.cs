using Microsoft.Data.Sqlite;

namespace KeyInfra.Sample.Tests;

[TestClass]
public sealed class AuthenticateKeysCommandTests
{
    [TestMethod]
    public async Task KeysAuthenticate_EveryRowAuthenticated_ReportsThemUnchangedAndStrict()
    {
        // Arrange
        using var workspace = new SampleWorkspace();
        await workspace.CreateKeyAsync("ecdsa-p256", "one");
        await workspace.CreateKeyAsync("ed25519", "two");

        // Act
        var table = await workspace.RunAsync("keys", "authenticate");
        var json = await workspace.RunAsync("keys", "authenticate", "--json");

        // Assert
        table.AssertExitCode(0);
        StringAssert.Contains(table.Output, "REAUTHENTICATED");
        json.AssertExitCode(0);
        var root = json.Json().RootElement;
        Assert.AreEqual(2, root.GetProperty("examined").GetInt32());
        Assert.AreEqual(2, root.GetProperty("unchanged").GetInt32());
        Assert.AreEqual(0, root.GetProperty("refused").GetInt32());
        Assert.IsTrue(root.GetProperty("strict").GetBoolean());
    }

    [TestMethod]
    public async Task KeysAuthenticate_RowChangedInTheDatabase_ReportsItRefusedAndFails()
    {
        // Arrange
        using var workspace = new SampleWorkspace();
        var id = await workspace.CreateKeyAsync("ecdsa-p256", "tampered");
        await ExecuteAsync(workspace, "UPDATE public_keys SET owner = 'attacker' WHERE id = $id", id.ToUpperInvariant());

        // Act
        var result = await workspace.RunAsync("keys", "authenticate");
        var reencrypt = await workspace.RunAsync("reencrypt", "--json");

        // Assert
        Assert.AreEqual(3, result.ExitCode);
        StringAssert.Contains(result.Output, $"refused: key {id}");
        Assert.AreEqual(3, reencrypt.ExitCode);
        Assert.AreEqual(1, reencrypt.Json().RootElement.GetProperty("keyRows").GetProperty("refused").GetInt32());
    }

    private static async Task ExecuteAsync(SampleWorkspace workspace, string sql, string id)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(workspace.DataDirectory, "keyinfra.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", id);
        Assert.AreEqual(1, await command.ExecuteNonQueryAsync());
        SqliteConnection.ClearAllPools();
    }
}
