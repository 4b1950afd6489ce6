namespace KeyInfra.Sample.Tests;

/// <summary><c>audit list|export|verify</c>, as an operator uses them after making changes.</summary>
[TestClass]
public sealed class AuditCommandTests
{
    [TestMethod]
    public async Task AuditList_AfterChanges_ShowsWhoChangedWhat()
    {
        using var workspace = new SampleWorkspace();
        (await workspace.RunAsync("roles", "add", "auditor")).AssertExitCode(0);
        (await workspace.RunAsync("roles", "grant", "auditor", "read_audit")).AssertExitCode(0);

        var list = await workspace.RunAsync("audit", "list");
        var json = await workspace.RunAsync("audit", "list", "--action", "role.grant", "--json");
        var data = await workspace.RunAsync("audit", "list", "--plane", "data", "--decision", "allow", "--json");

        list.AssertExitCode(0);
        StringAssert.Contains(list.Output, "role.grant");
        StringAssert.Contains(list.Output, "role.create");
        StringAssert.Contains(list.Output, "system:keyinfra-cli");
        var grant = json.Json().RootElement.GetProperty("items").EnumerateArray().Single();
        Assert.AreEqual("auditor", grant.GetProperty("targetId").GetString());
        Assert.IsTrue(data.Json().RootElement.GetProperty("items").GetArrayLength() > 0, "the operator's manage_users decisions are recorded");
    }

    [TestMethod]
    public async Task AuditExport_ToAFile_WritesOneJsonLinePerRecord_AndVerifyIsClean()
    {
        using var workspace = new SampleWorkspace();
        (await workspace.RunAsync("users", "add", "carol")).AssertExitCode(0);
        (await workspace.RunAsync("users", "suspend", "carol")).AssertExitCode(0);

        var export = await workspace.RunAsync("audit", "export", "--target-type", "user", "--out", "changes.jsonl");
        var verify = await workspace.RunAsync("audit", "verify");

        export.AssertExitCode(0);
        var lines = File.ReadAllLines(workspace.PathOf("changes.jsonl"));
        Assert.HasCount(2, lines);
        StringAssert.Contains(lines[0], "\"action\":\"user.status\"");
        StringAssert.Contains(lines[1], "\"action\":\"user.create\"");
        verify.AssertExitCode(0);
        StringAssert.Contains(verify.Output, "Clean:");
    }

    [TestMethod]
    public async Task AuditList_FilterOfTheOtherPlane_IsAUsageError()
    {
        using var workspace = new SampleWorkspace();

        var keyOnControl = await workspace.RunAsync("audit", "list", "--key", Guid.NewGuid().ToString());
        var targetOnData = await workspace.RunAsync("audit", "list", "--plane", "data", "--target-type", "key");
        var badPlane = await workspace.RunAsync("audit", "list", "--plane", "both");

        Assert.AreEqual(2, keyOnControl.ExitCode);
        StringAssert.Contains(keyOnControl.Error, "--plane data");
        Assert.AreEqual(2, targetOnData.ExitCode);
        Assert.AreEqual(2, badPlane.ExitCode);
    }
}
