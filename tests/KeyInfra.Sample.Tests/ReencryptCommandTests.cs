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
}
