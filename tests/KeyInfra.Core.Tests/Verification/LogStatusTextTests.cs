using KeyInfra.Verification;
using KeyInfra.Verification.Chain;

namespace KeyInfra.Core.Tests.Verification;

[TestClass]
public sealed class LogStatusTextTests
{
    // A status added without its text would make the log writer fail every commit that records it.
    [TestMethod]
    public void ToText_EveryDefinedStatus_HasADistinctSnakeCaseText()
    {
        var texts = Enum.GetValues<VerificationStatus>().Where(s => s != 0).Select(LogStatusText.ToText).ToList();

        Assert.HasCount(texts.Count, texts.Distinct());
        Assert.IsTrue(texts.All(t => t.Length > 0 && t.All(c => char.IsAsciiLetterLower(c) || c == '_')));
        Assert.AreEqual("key_tampered", LogStatusText.ToText(VerificationStatus.KeyTampered));
    }
}
