using KeyInfra.Sqlite.KeyChanges;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace KeyInfra.Sqlite.Tests.KeyChanges;

[TestClass]
public sealed class KeyChangeDetectorRegistrationTests
{
    [TestMethod]
    public void UseSqlite_CalledTwice_OneDetectorHostAndOneHealthCheck()
    {
        var services = new ServiceCollection();
        var builder = services.AddKeyInfrastructure();
        builder.UseSqlite("Data Source=a.db").UseSqlite("Data Source=b.db");
        services.AddHealthChecks().AddKeyInfrastructureSqlite().AddKeyInfrastructureSqlite();
        using var provider = services.BuildServiceProvider();

        var hosts = services.Count(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(KeyChangeDetectorHost));
        var checks = provider.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations
            .Count(r => r.Name == KeyInfraSqliteHealthChecksBuilderExtensions.KeyChangeDetectorName);

        Assert.AreEqual(1, hosts);
        Assert.AreEqual(1, checks);
    }

    [TestMethod]
    public void KeyChangeOptions_FromConfiguration_BoundAndDefaultsOtherwise()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["KeyInfra:Sqlite:KeyChangePollInterval"] = "00:00:00.250",
            ["KeyInfra:Sqlite:DetectKeyChanges"] = "false",
        }).Build());
        services.AddKeyInfrastructure().UseSqlite("Data Source=configured.db");
        using var provider = services.BuildServiceProvider();

        var bound = provider.GetRequiredService<IOptions<SqliteStorageOptions>>().Value;
        var defaults = new SqliteStorageOptions();

        Assert.AreEqual(TimeSpan.FromMilliseconds(250), bound.KeyChangePollInterval);
        Assert.IsFalse(bound.DetectKeyChanges);
        Assert.AreEqual(TimeSpan.FromSeconds(1), defaults.KeyChangePollInterval);
        Assert.IsTrue(defaults.DetectKeyChanges);
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(9)]
    [DataRow(60_001)]
    public void KeyChangePollInterval_OutOfRange_ThrowsArgumentOutOfRangeException(int milliseconds)
    {
        var options = new SqliteStorageOptions();

        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => options.KeyChangePollInterval = TimeSpan.FromMilliseconds(milliseconds));
    }
}
