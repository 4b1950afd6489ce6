using KeyInfra.Authorization;

namespace KeyInfra.Core.Tests.Authorization;

[TestClass]
public sealed class AuthorizationDecisionTests
{
    [TestMethod]
    public void Default_IsADenial()
        => Assert.IsFalse(default(AuthorizationDecision).IsAllowed, "An authorizer that forgets to decide must fail closed.");

    [TestMethod]
    public void AllowAndDeny_CarryTheirAnswerAndReason()
    {
        Assert.IsTrue(AuthorizationDecision.Allow.IsAllowed);
        Assert.IsNull(AuthorizationDecision.Allow.Reason);
        var denied = AuthorizationDecision.Deny("missing keys:sign");
        Assert.IsFalse(denied.IsAllowed);
        Assert.AreEqual("missing keys:sign", denied.Reason);
        Assert.IsNull(AuthorizationDecision.Deny().Reason);
    }

    [TestMethod]
    [DataRow("two\nlines")]
    [DataRow("")]
    public void Deny_BadReason_Throws(string reason)
        => Assert.ThrowsExactly<ArgumentException>(() => AuthorizationDecision.Deny(reason));

    [TestMethod]
    public void Deny_ReasonOverMaxLength_Throws()
        => Assert.ThrowsExactly<ArgumentException>(() => AuthorizationDecision.Deny(new string('r', AuthorizationDecision.MaxReasonLength + 1)));

    [TestMethod]
    public async Task AllowAllAuthorizer_AnyRequest_AllowsSynchronously()
    {
        var pending = new AllowAllAuthorizer().AuthorizeAsync(new AuthorizationRequest(KeyInfraOperation.DeleteKey, null, Guid.NewGuid()), CancellationToken.None);

        Assert.IsTrue(pending.IsCompletedSuccessfully);
        Assert.IsTrue((await pending).IsAllowed);
    }
}
