using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.PostgreSql.Connection;
using KeyInfra.Signing;
using KeyInfra.Verification;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace KeyInfra.PostgreSql.Tests;

/// <summary>The PostgreSQL settings as options (configuration, then code, validated at start) and a data source the host owns.</summary>
[TestClass]
public sealed class PostgreSqlStorageOptionsTests
{
    [TestMethod]
    public void Options_ConfigurationSection_IsBoundAndCodeWinsOverIt()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["KeyInfra:PostgreSql:MaxPoolSize"] = "7",
            ["KeyInfra:PostgreSql:MaxRetryCount"] = "5",
            ["KeyInfra:PostgreSql:ListenForKeyChanges"] = "false",
            ["KeyInfra:PostgreSql:SslMode"] = "VerifyCa",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddKeyInfrastructure().UsePostgreSql("Host=db", pg => pg.MaxRetryCount = 1);
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<PostgreSqlStorageOptions>>().Value;

        Assert.AreEqual(7, options.MaxPoolSize);
        Assert.AreEqual(1, options.MaxRetryCount);
        Assert.IsFalse(options.ListenForKeyChanges);
        Assert.AreEqual(PostgreSqlSslMode.VerifyCa, options.SslMode);
    }

    [TestMethod]
    public void Options_ConfigurationValueOutOfRange_FailsWhenTheOptionsAreBuilt()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["KeyInfra:PostgreSql:MaxPoolSize"] = "5000",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddKeyInfrastructure().UsePostgreSql("Host=db");
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<Exception>(() => provider.GetRequiredService<IOptions<PostgreSqlStorageOptions>>().Value);

        StringAssert.Contains(error.ToString(), "The maximum pool size must be between 1 and 1000");
    }

    [TestMethod]
    public async Task UsePostgreSql_HostDataSource_RunsTheEngineAndLeavesTheDataSourceToTheHost()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        await using var dataSource = NpgsqlDataSource.Create(database.AppConnectionString);
        var document = "host data source"u8.ToArray();

        VerificationResult result;
        using (var host = BuildHost(builder => builder.UsePostgreSql(_ => dataSource)))
        {
            await host.StartAsync();
            var key = await host.Services.GetRequiredService<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "host pool"));
            var signature = await host.Services.GetRequiredService<ISigner>().SignAsync(new SignRequest(key.Id, document));
            result = await host.Services.GetRequiredService<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, document, signature.Signature));
            Assert.AreSame(dataSource, host.Services.GetRequiredService<PostgreSqlDataSource>().DataSource);
            await host.StopAsync();
        }

        await using var command = dataSource.CreateCommand("SELECT count(*) FROM verification_records");
        Assert.AreEqual(VerificationStatus.Valid, result.Status);
        Assert.AreEqual(1L, await database.AdminScalarAsync<long>("SELECT count(*) FROM verification_records WHERE id = $1", result.RecordId!.Value));
        Assert.IsNotNull(await command.ExecuteScalarAsync(), "KeyInfra disposed a data source the host owns.");
    }

    [TestMethod]
    [DataRow("Host=db;Multiplexing=true;Password=hunter2-secret", "Multiplexing")]
    [DataRow("Host=db;SSL Mode=Prefer;Password=hunter2-secret", "plain text")]
    [DataRow("Host=db;SSL Mode=Allow;Password=hunter2-secret", "plain text")]
    public async Task UsePostgreSql_HostDataSourceThatBreaksTheGuarantees_IsRefusedWithKI4003(string connectionString, string reason)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var services = new ServiceCollection();
        services.AddKeyInfrastructure().UsePostgreSql(_ => dataSource);
        await using var provider = services.BuildServiceProvider();

        var error = Assert.ThrowsExactly<KeyInfraException>(() => provider.GetRequiredService<PostgreSqlDataSource>());

        Assert.AreEqual(ErrorCodes.StorageMisconfigured, error.ErrorCode);
        StringAssert.Contains(error.Message, reason);
        Assert.DoesNotContain("hunter2", error.ToString());
    }

    private static IHost BuildHost(Action<IKeyInfrastructureBuilder> storage)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var keyInfra = builder.Services.AddKeyInfrastructure(o => o.MigrateOnStartup = false);
        storage(keyInfra);
        keyInfra.UseEnvironmentMasterKey(o =>
        {
            o.MasterKey = PostgreSqlTestHost.NewMasterKey();
            o.MasterSecret = null;
            o.PreviousMasterKeys = null;
        });
        return builder.Build();
    }
}
