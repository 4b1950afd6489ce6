using KeyInfra.Encryption;

namespace KeyInfra.Core.Tests.Encryption;

[TestClass]
public sealed class EnvironmentMasterKeyOptionsValidatorTests
{
    [TestMethod]
    public void Validate_ValidKey_Succeeds()
    {
        var options = new EnvironmentMasterKeyOptions { MasterKey = Convert.ToBase64String(TestMasterKeys.NewKey()) };

        var result = new EnvironmentMasterKeyOptionsValidator().Validate(null, options);

        Assert.IsTrue(result.Succeeded);
    }

    [TestMethod]
    public void Validate_NoKey_FailsWithTheMissingKeyCode()
    {
        var result = new EnvironmentMasterKeyOptionsValidator().Validate(null, new EnvironmentMasterKeyOptions());

        Assert.IsTrue(result.Failed);
        Assert.StartsWith("KI2001", result.FailureMessage);
    }

    [TestMethod]
    public void Validate_MalformedKey_FailsWithoutEchoingIt()
    {
        var value = Convert.ToBase64String(TestMasterKeys.NewKey())[..40];

        var result = new EnvironmentMasterKeyOptionsValidator().Validate(null, new EnvironmentMasterKeyOptions { MasterKey = value });

        Assert.IsTrue(result.Failed);
        Assert.StartsWith("KI2002", result.FailureMessage);
        Assert.DoesNotContain(value[..12], result.FailureMessage);
    }
}
