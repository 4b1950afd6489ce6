namespace KeyInfra.Core.Tests.Certificates;

[TestClass]
public sealed class CertificateOptionsTests
{
    [TestMethod]
    public void Defaults_AreValid_RetentionIsOff_AndACrlIsDueBeforeItGoesStale()
    {
        var options = new KeyInfraOptions();

        Assert.IsTrue(new KeyInfraOptionsValidator().Validate(null, options).Succeeded);
        Assert.IsFalse(options.Certificates.RetentionEnabled);
        Assert.AreEqual(24, options.Certificates.RetentionMonths);
        Assert.IsLessThan(options.Certificates.CrlValidity, options.Certificates.CrlRefreshMargin);
    }

    [TestMethod]
    [DataRow("CrlValidity", "00:30:00")]
    [DataRow("CrlValidity", "91.00:00:00")]
    [DataRow("CrlRefreshMargin", "7.00:00:00")]
    [DataRow("CrlRefreshMargin", "00:00:00")]
    [DataRow("CrlSchedule", "-00:00:01")]
    [DataRow("CrlSchedule", "2.00:00:00")]
    public void OutOfRangeTimes_FailValidation_NamingTheSetting(string setting, string value)
    {
        var options = new KeyInfraOptions();
        var time = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        switch (setting)
        {
            case "CrlValidity":
                options.Certificates.CrlValidity = time;
                break;
            case "CrlRefreshMargin":
                options.Certificates.CrlRefreshMargin = time;
                break;
            default:
                options.Certificates.CrlSchedule = time;
                break;
        }

        var result = new KeyInfraOptionsValidator().Validate(null, options);

        Assert.IsTrue(result.Failed);
        Assert.Contains("KeyInfra:Certificates:" + setting, result.FailureMessage!);
    }

    [TestMethod]
    public void RetentionMonths_BelowOne_FailsValidation()
    {
        var options = new KeyInfraOptions();
        options.Certificates.RetentionMonths = 0;

        Assert.Contains("KeyInfra:Certificates:RetentionMonths", new KeyInfraOptionsValidator().Validate(null, options).FailureMessage!);
    }
}
