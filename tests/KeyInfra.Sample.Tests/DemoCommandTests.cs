using KeyInfra.Keys;

namespace KeyInfra.Sample.Tests;

[TestClass]
public sealed class DemoCommandTests
{
    [TestMethod]
    public async Task Run_TwiceOnFreshFolder_SucceedsBothTimesAndReusesDevelopmentKey()
    {
        // Arrange
        using var workspace = new SampleWorkspace();

        // Act
        var first = await workspace.RunAsync();
        var keyAfterFirst = await File.ReadAllTextAsync(workspace.DevelopmentKeyPath);
        var second = await workspace.RunAsync();
        var keyAfterSecond = await File.ReadAllTextAsync(workspace.DevelopmentKeyPath);

        // Assert
        first.AssertExitCode(0);
        second.AssertExitCode(0);
        Assert.AreEqual(keyAfterFirst, keyAfterSecond, "the second run must reuse the development key, not replace it");
        StringAssert.Contains(first.Error, "DEVELOPMENT MASTER KEY");
        StringAssert.Contains(second.Error, "DEVELOPMENT MASTER KEY");
        StringAssert.Contains(second.Error, "do not use in production; set KEYINFRA_MASTER_KEY");
        var list = await workspace.RunAsync("keys", "list", "--json");
        Assert.AreEqual(2 * (KeySpec.All.Count + 2), list.Json().RootElement.GetProperty("items").GetArrayLength(),
            "each run creates one key per type, one rotated ring version and the demo user's key");
        var demo = await workspace.RunAsync("--json");
        demo.AssertExitCode(0);
        var accessControl = demo.Json().RootElement.GetProperty("accessControl");
        Assert.AreEqual("Valid", accessControl.GetProperty("ownStatus").GetString());
        Assert.AreEqual("KI5001", accessControl.GetProperty("signOthers").GetString(), "the user may not sign with the demo's key");
        Assert.AreEqual("AccessDenied", accessControl.GetProperty("verifyOthers").GetString());
        Assert.IsGreaterThanOrEqualTo(1, accessControl.GetProperty("auditDenials").GetInt32(), "the refused signature is in the data-plane audit log");
        Assert.IsGreaterThanOrEqualTo(1, accessControl.GetProperty("auditChanges").GetInt32(), "the user's key creation is in the control-plane audit log");
    }

    [TestMethod]
    public async Task Run_NoArguments_ShowsEveryKeyTypeAndEveryOutcome()
    {
        // Arrange
        using var workspace = new SampleWorkspace();

        // Act
        var result = await workspace.RunAsync();

        // Assert
        result.AssertExitCode(0);
        foreach (var spec in KeySpec.All)
        {
            StringAssert.Contains(result.Output, spec.Name);
        }

        foreach (var status in new[] { "Valid", "InvalidSignature", "KeyRevoked", "KeyNotFound" })
        {
            StringAssert.Contains(result.Output, status);
        }

        StringAssert.Contains(result.Output, "Rotate the ring");
        StringAssert.Contains(result.Output, "recorded as batch");
        StringAssert.Contains(result.Output, "The verification log");
        Assert.IsFalse(result.Output.Contains("PRIVATE KEY", StringComparison.Ordinal), "no private key material is printed");
    }

    [TestMethod]
    public async Task Run_Json_PrintsParsableReportWithNoSurprises()
    {
        // Arrange
        using var workspace = new SampleWorkspace();

        // Act
        var result = await workspace.RunAsync("--json");

        // Assert
        result.AssertExitCode(0);
        using var json = result.Json();
        Assert.AreEqual(KeySpec.All.Count, json.RootElement.GetProperty("keys").GetArrayLength());
        Assert.AreEqual("KeyRevoked", json.RootElement.GetProperty("revoked").GetProperty("status").GetString());
        Assert.AreEqual("KeyNotFound", json.RootElement.GetProperty("unknownKey").GetProperty("status").GetString());
        Assert.AreEqual(0, json.RootElement.GetProperty("surprises").GetArrayLength());
        Assert.IsGreaterThan(0, json.RootElement.GetProperty("log").GetArrayLength());
    }
}
