namespace KeyInfra.Sample.Tests;

/// <summary><c>curves list|disable|enable</c>, as an operator uses them.</summary>
[TestClass]
public sealed class CurvesCommandTests
{
    [TestMethod]
    public async Task CurvesDisable_RefusesNewKeysUntilEnabled()
    {
        using var workspace = new SampleWorkspace();

        var disabled = await workspace.RunAsync("curves", "disable", "secp256k1", "--json");
        var refused = await workspace.RunAsync("keys", "create", "--type", "ecdsa-secp256k1", "--name", "refused");
        var list = await workspace.RunAsync("curves", "list");
        (await workspace.RunAsync("curves", "enable", "SECP256K1")).AssertExitCode(0);
        var created = await workspace.RunAsync("keys", "create", "--type", "ecdsa-secp256k1", "--name", "allowed");
        var unknown = await workspace.RunAsync("curves", "disable", "p-999");

        disabled.AssertExitCode(0);
        Assert.AreEqual("Disabled", disabled.Json().RootElement.GetProperty("items")[0].GetProperty("status").GetString());
        Assert.AreNotEqual(0, refused.ExitCode);
        StringAssert.Contains(refused.Error, "KI1108");
        StringAssert.Contains(list.Output, "secp256k1");
        StringAssert.Contains(list.Output, "database");
        created.AssertExitCode(0);
        Assert.AreEqual(2, unknown.ExitCode);
    }
}
