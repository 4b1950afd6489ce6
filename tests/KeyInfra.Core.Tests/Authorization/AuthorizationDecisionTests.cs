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
    public void AllowOwners_AllowedOverThoseOwnersOnly_DuplicatesDropped()
    {
        var decision = AuthorizationDecision.AllowOwners(["user:a", "app:b", "user:a"]);

        Assert.IsTrue(decision.IsAllowed);
        Assert.IsNull(decision.Reason);
        CollectionAssert.AreEqual(new[] { "user:a", "app:b" }, decision.Owners!.ToArray());
        Assert.IsNull(AuthorizationDecision.Allow.Owners, "a plain allow is over the whole tenant");
        Assert.IsNull(AuthorizationDecision.Deny("no").Owners);
    }

    [TestMethod]
    public void AllowOwners_NoneOrMalformed_Throws()
    {
        Assert.ThrowsExactly<ArgumentException>(() => AuthorizationDecision.AllowOwners([]), "no owner would be a denial in disguise");
        Assert.ThrowsExactly<ArgumentException>(() => AuthorizationDecision.AllowOwners(["user:a", "tab\there"]));
        Assert.ThrowsExactly<ArgumentException>(() => AuthorizationDecision.AllowOwners([new string('o', KeyInfra.Storage.OwnerScope.MaxOwnerLength + 1)]));
        Assert.ThrowsExactly<ArgumentNullException>(() => AuthorizationDecision.AllowOwners(null!));
    }

    [TestMethod]
    public async Task OwnerScope_NestedScopesOnlyNarrow_AndFlowWithTheAsyncCall()
    {
        IReadOnlyList<string>? inner, seenByChild;
        using (KeyInfra.Storage.OwnerScope.EnterIfAny(["user:a", "user:b"]))
        {
            using (KeyInfra.Storage.OwnerScope.EnterIfAny(["user:b", "user:c"]))
            {
                inner = KeyInfra.Storage.OwnerScope.Current;
            }

            seenByChild = await Task.Run(() => KeyInfra.Storage.OwnerScope.Current);
        }

        CollectionAssert.AreEqual(new[] { "user:b" }, inner!.ToArray());
        CollectionAssert.AreEqual(new[] { "user:a", "user:b" }, seenByChild!.ToArray());
        Assert.IsNull(KeyInfra.Storage.OwnerScope.Current);
    }

    [TestMethod]
    public async Task AllowAllAuthorizer_AnyRequest_AllowsSynchronously()
    {
        var pending = new AllowAllAuthorizer().AuthorizeAsync(new AuthorizationRequest(KeyInfraOperation.DeleteKey, null, Guid.NewGuid()), CancellationToken.None);

        Assert.IsTrue(pending.IsCompletedSuccessfully);
        Assert.IsTrue((await pending).IsAllowed);
    }
}
