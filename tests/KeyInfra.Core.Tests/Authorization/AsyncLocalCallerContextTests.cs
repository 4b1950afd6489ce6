using KeyInfra.Authorization;

namespace KeyInfra.Core.Tests.Authorization;

[TestClass]
public sealed class AsyncLocalCallerContextTests
{
    [TestMethod]
    public void Use_NestedScopes_EachDisposeRestoresThePreviousCaller()
    {
        var context = new AsyncLocalCallerContext();
        var outer = Caller.ForSystem("outer");
        var inner = Caller.ForUser("inner");

        var outerScope = context.Use(outer);
        var innerScope = context.Use(inner);
        Assert.AreSame(inner, context.Current);
        innerScope.Dispose();
        Assert.AreSame(outer, context.Current);
        outerScope.Dispose();

        Assert.IsNull(context.Current);
    }

    [TestMethod]
    public void Dispose_Twice_RestoresOnlyOnce()
    {
        var context = new AsyncLocalCallerContext();
        var first = Caller.ForUser("first");
        using var firstScope = context.Use(first);
        var second = context.Use(Caller.ForUser("second"));
        second.Dispose();
        using var third = context.Use(Caller.ForUser("third"));

        second.Dispose();

        Assert.AreEqual("user:third", context.Current?.StableId, "A second dispose must not undo a later scope.");
    }

    [TestMethod]
    public void Use_Null_ClearsTheCallerForTheScope()
    {
        var context = new AsyncLocalCallerContext();
        using var outer = context.Use(Caller.ForUser("u"));

        using (context.Use(null))
        {
            Assert.IsNull(context.Current);
        }

        Assert.AreEqual("user:u", context.Current?.StableId);
    }

    [TestMethod]
    public async Task Use_SetInsideAnAwaitedMethod_DoesNotFlowBackToItsCaller()
    {
        var context = new AsyncLocalCallerContext();

        async Task SetAsync()
        {
            context.Use(Caller.ForUser("inside"));
            await Task.Yield();
        }

        await SetAsync();

        Assert.IsNull(context.Current, "Documented: set the caller in the method that awaits the work.");
    }
}
