using KeyInfra.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KeyInfra.Core.Tests.Authorization;

[TestClass]
public sealed class RolePermissionsTests
{
    [TestMethod]
    public void BuiltIn_AdminHasEveryPermission_UserWorksWithKeysAndCertificatesButManagesNothingElse()
    {
        var map = new RolePermissions(new AccessControlOptions());

        CollectionAssert.AreEquivalent(KeyInfraPermissions.All.ToArray(), map.PermissionsOf([KeyInfraRoles.Admin]).ToArray());
        CollectionAssert.AreEquivalent(
            new[] { KeyInfraPermissions.ManagePublicKeys, KeyInfraPermissions.Sign, KeyInfraPermissions.VerifySignatures, KeyInfraPermissions.ReadLog, KeyInfraPermissions.ManageCertificates },
            map.PermissionsOf([KeyInfraRoles.User]).ToArray());
        Assert.IsFalse(map.Grants([KeyInfraRoles.User], KeyInfraPermissions.ManageUsers));
        Assert.IsFalse(map.Grants([KeyInfraRoles.User], KeyInfraPermissions.ReadAudit));
        Assert.IsEmpty(map.PermissionsOf(["no-such-role"]), "an unknown role grants nothing");
    }

    [TestMethod]
    public void EveryOperation_NeedsAKnownPermission()
    {
        foreach (var operation in Enum.GetValues<KeyInfraOperation>())
        {
            Assert.IsTrue(KeyInfraPermissions.IsKnown(KeyInfraPermissions.RequiredFor(operation)), operation.ToString());
        }

        Assert.AreEqual(KeyInfraPermissions.Sign, KeyInfraPermissions.RequiredFor(KeyInfraOperation.Sign));
        Assert.AreEqual(KeyInfraPermissions.VerifySignatures, KeyInfraPermissions.RequiredFor(KeyInfraOperation.Verify));
        Assert.AreEqual(KeyInfraPermissions.ReadLog, KeyInfraPermissions.RequiredFor(KeyInfraOperation.ReadLog));
        Assert.AreEqual(KeyInfraPermissions.ManagePublicKeys, KeyInfraPermissions.RequiredFor(KeyInfraOperation.RevokeKey));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => KeyInfraPermissions.RequiredFor((KeyInfraOperation)999));
    }

    [TestMethod]
    public void Configuration_AddsRolesAndExtendsBuiltInOnes_NeverTakingAnythingAway()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["KeyInfra:AccessControl:Roles:auditor:0"] = "read_log",
            ["KeyInfra:AccessControl:Roles:auditor:1"] = "read_audit",
            ["KeyInfra:AccessControl:Roles:user:0"] = "manage_certificates",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddKeyInfrastructure();
        using var provider = services.BuildServiceProvider();

        var map = provider.GetRequiredService<RolePermissions>();

        CollectionAssert.AreEquivalent(new[] { "read_log", "read_audit" }, map.PermissionsOf(["auditor"]).ToArray());
        Assert.IsTrue(map.Grants([KeyInfraRoles.User], KeyInfraPermissions.ManageCertificates));
        Assert.IsTrue(map.Grants([KeyInfraRoles.User], KeyInfraPermissions.Sign), "the built-in permissions stay");
        Assert.IsTrue(map.Grants(["auditor", KeyInfraRoles.User], KeyInfraPermissions.ReadAudit));
    }

    [TestMethod]
    [DataRow("Auditor", "read_log", DisplayName = "upper case role name")]
    [DataRow("audit team", "read_log", DisplayName = "space in the role name")]
    [DataRow("auditor", "read_everything", DisplayName = "unknown permission")]
    [DataRow("auditor", "READ_LOG", DisplayName = "permission in upper case")]
    public void Configuration_AnInvalidRoleOrPermission_FailsValidationNamingIt(string role, string permission)
    {
        var options = new KeyInfraOptions();
        options.AccessControl.Roles[role] = [permission];

        var result = new KeyInfraOptionsValidator().Validate(null, options);

        Assert.IsTrue(result.Failed);
        Assert.Contains("KeyInfra:AccessControl:Roles", result.FailureMessage!);
        Assert.ThrowsExactly<ArgumentException>(() => new RolePermissions(Options.Create(options)));
    }
}
