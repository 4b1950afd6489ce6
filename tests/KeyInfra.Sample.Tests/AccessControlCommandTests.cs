namespace KeyInfra.Sample.Tests;

/// <summary><c>users</c>, <c>roles</c> and <c>apps</c>, as an operator uses them: add, list, change, and credentials that check out until revoked.</summary>
[TestClass]
public sealed class AccessControlCommandTests
{
    [TestMethod]
    public async Task Users_AddSuspendAndRoles_ShowWhatChanged()
    {
        using var workspace = new SampleWorkspace();
        var variable = "KEYINFRA_TEST_PASSWORD_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "a long passphrase");
        try
        {
            var added = await workspace.RunAsync("users", "add", "alice", "--email", "alice@example.test", "--password-env", variable, "--json");
            var suspended = await workspace.RunAsync("users", "suspend", "alice", "--json");
            var role = await workspace.RunAsync("users", "roles", "add", "alice", "admin", "--json");
            var list = await workspace.RunAsync("users", "list");
            var literal = await workspace.RunAsync("users", "passwd", "alice", "--password-env", "not a variable name");
            var unknownRole = await workspace.RunAsync("users", "add", "bob", "--role", "no-such-role");

            added.AssertExitCode(0);
            Assert.IsTrue(added.Json().RootElement.GetProperty("hasPassword").GetBoolean());
            Assert.IsFalse(added.Output.Contains("a long passphrase", StringComparison.Ordinal), "The password is never printed.");
            Assert.AreEqual("Suspended", suspended.Json().RootElement.GetProperty("status").GetString());
            CollectionAssert.AreEquivalent(new[] { "admin", "user" }, role.Json().RootElement.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).ToArray());
            StringAssert.Contains(list.Output, "alice");
            StringAssert.Contains(list.Output, "1 users.");
            Assert.AreEqual(2, literal.ExitCode);
            StringAssert.Contains(literal.Error, "never the password itself");
            Assert.AreEqual(2, unknownRole.ExitCode);
            StringAssert.Contains(unknownRole.Error, "KI5106");
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [TestMethod]
    public async Task Roles_AddGrantRevoke_ListedWithTheirPermissions()
    {
        using var workspace = new SampleWorkspace();

        (await workspace.RunAsync("roles", "add", "auditor", "--description", "reads the log")).AssertExitCode(0);
        (await workspace.RunAsync("roles", "grant", "auditor", "read_log")).AssertExitCode(0);
        var granted = await workspace.RunAsync("roles", "list", "--json");
        (await workspace.RunAsync("roles", "revoke", "auditor", "read_log")).AssertExitCode(0);
        var revoked = await workspace.RunAsync("roles", "list", "--json");
        var notPermission = await workspace.RunAsync("roles", "grant", "auditor", "everything");

        var auditor = granted.Json().RootElement.GetProperty("items").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "auditor");
        CollectionAssert.AreEqual(new[] { "read_log" }, auditor.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()).ToArray());
        Assert.AreEqual(0, revoked.Json().RootElement.GetProperty("items").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "auditor").GetProperty("permissions").GetArrayLength());
        Assert.AreEqual(2, notPermission.ExitCode);
        StringAssert.Contains(notPermission.Error, "is not a permission");
    }

    [TestMethod]
    public async Task AppCredentials_AddCheckRevoke_ChecksOutUntilRevoked()
    {
        using var workspace = new SampleWorkspace();
        (await workspace.RunAsync("apps", "add", "billing", "--description", "the billing service")).AssertExitCode(0);
        var created = await workspace.RunAsync("apps", "credentials", "add", "billing", "--json");
        created.AssertExitCode(0);
        var clientId = created.Json().RootElement.GetProperty("credential").GetProperty("clientId").GetString()!;
        var secret = created.Json().RootElement.GetProperty("secret").GetString()!;
        var variable = "KEYINFRA_TEST_SECRET_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, secret);
        try
        {
            var good = await workspace.RunAsync("apps", "credentials", "check", clientId, "--secret-env", variable);
            var shown = await workspace.RunAsync("apps", "show", "billing");
            (await workspace.RunAsync("apps", "credentials", "revoke", "billing", clientId)).AssertExitCode(0);
            var afterRevoke = await workspace.RunAsync("apps", "credentials", "check", clientId, "--secret-env", variable);

            good.AssertExitCode(0);
            StringAssert.StartsWith(good.Output, "ok: app:");
            StringAssert.Contains(shown.Output, clientId);
            Assert.IsFalse(shown.Output.Contains(secret, StringComparison.Ordinal), "A listed credential never shows its secret.");
            Assert.AreEqual(1, afterRevoke.ExitCode);
            StringAssert.Contains(afterRevoke.Output, "refused");
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }
}
