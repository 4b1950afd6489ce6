using System.Security.Authentication;
using KeyInfra.Keys;
using KeyInfra.PostgreSql.Connection;
using KeyInfra.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace KeyInfra.PostgreSql.Tests;

/// <summary>TLS modes, pool and retry options, and secrecy of the password, against the test server.</summary>
[TestClass]
public sealed class ConnectionTests
{
    private static PostgreSqlTestDatabase s_database = null!;

    [ClassInitialize]
    public static async Task ClassInitialize(TestContext context) => s_database = await PostgreSqlTestDatabase.CreateAsync();

    [ClassCleanup]
    public static async Task ClassCleanup() => await (s_database?.DisposeAsync() ?? ValueTask.CompletedTask);

    [TestMethod]
    public async Task Connect_Disable_IsPlainText()
    {
        Assert.IsFalse(await ConnectAsync(PostgreSqlTestServer.Host, PostgreSqlSslMode.Disable, null));
    }

    [TestMethod]
    public async Task Connect_RequireWithAnUntrustedCa_IsEncryptedButUnverified()
    {
        Assert.IsTrue(await ConnectAsync(PostgreSqlTestServer.AltHost, PostgreSqlSslMode.Require, PostgreSqlTestServer.WrongCaPath));
    }

    [TestMethod]
    public async Task Connect_VerifyCaAtAHostTheCertificateDoesNotName_Succeeds()
    {
        Assert.IsTrue(await ConnectAsync(PostgreSqlTestServer.AltHost, PostgreSqlSslMode.VerifyCa, PostgreSqlTestServer.CaPath));
    }

    [TestMethod]
    public async Task Connect_VerifyFullAtTheCertificatesHost_Succeeds()
    {
        Assert.IsTrue(await ConnectAsync(PostgreSqlTestServer.Host, PostgreSqlSslMode.VerifyFull, PostgreSqlTestServer.CaPath));
    }

    [TestMethod]
    [DataRow(PostgreSqlSslMode.VerifyCa)]
    [DataRow(PostgreSqlSslMode.VerifyFull)]
    public async Task Connect_WrongCa_IsRefused(PostgreSqlSslMode mode)
    {
        var error = await Assert.ThrowsAsync<NpgsqlException>(() => ConnectAsync(PostgreSqlTestServer.Host, mode, PostgreSqlTestServer.WrongCaPath));

        Assert.IsTrue(HasInner<AuthenticationException>(error), error.ToString());
    }

    [TestMethod]
    public async Task Connect_VerifyFullAtAHostTheCertificateDoesNotName_IsRefused()
    {
        var error = await Assert.ThrowsAsync<NpgsqlException>(() => ConnectAsync(PostgreSqlTestServer.AltHost, PostgreSqlSslMode.VerifyFull, PostgreSqlTestServer.CaPath));

        Assert.IsTrue(HasInner<AuthenticationException>(error), error.ToString());
    }

    [TestMethod]
    public async Task Connect_ScramSha256_IsTheServersOnlyPasswordMethod()
    {
        await using var services = s_database.BuildServices();
        var dataSource = services.GetRequiredService<PostgreSqlDataSource>().DataSource;
        await using var command = dataSource.CreateCommand("SELECT current_setting('password_encryption')");

        Assert.AreEqual("scram-sha-256", await command.ExecuteScalarAsync());
        Assert.AreEqual(0L, await s_database.AdminScalarAsync<long>("SELECT count(*) FROM pg_hba_file_rules WHERE auth_method NOT IN ('scram-sha-256')"));
    }

    [TestMethod]
    public void Parse_NoSslModeGiven_VerifiesFullyWithDefaultPoolSizes()
    {
        var settings = PostgreSqlConnectionSettings.Parse("Host=db.example.com;Database=keyinfra;Username=app;Password=secret", new PostgreSqlStorageOptions(), "cs");

        var builder = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        Assert.AreEqual(PostgreSqlSslMode.VerifyFull, settings.SslMode);
        Assert.AreEqual(SslMode.VerifyFull, builder.SslMode);
        Assert.AreEqual(5, builder.MinPoolSize);
        Assert.AreEqual(20, builder.MaxPoolSize);
        Assert.IsFalse(builder.PersistSecurityInfo);
    }

    [TestMethod]
    public void Parse_OptionsSet_WinOverTheConnectionString()
    {
        var options = new PostgreSqlStorageOptions { SslMode = PostgreSqlSslMode.Require, MinPoolSize = 1, MaxPoolSize = 3 };

        var settings = PostgreSqlConnectionSettings.Parse("Host=db;SSL Mode=VerifyFull;Maximum Pool Size=100", options, "cs");

        var builder = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        Assert.AreEqual(SslMode.Require, builder.SslMode);
        Assert.AreEqual(1, builder.MinPoolSize);
        Assert.AreEqual(3, builder.MaxPoolSize);
    }

    [TestMethod]
    public void ToString_ConnectionStringWithAPassword_DoesNotShowIt()
    {
        var settings = PostgreSqlConnectionSettings.Parse("Host=db;Username=app;Password=hunter2-secret", new PostgreSqlStorageOptions(), "cs");

        var text = settings.ToString();

        Assert.DoesNotContain("hunter2-secret", text);
        Assert.DoesNotContain("Host=db", text);
        StringAssert.Contains(text, "VerifyFull");
    }

    [TestMethod]
    [DataRow("Host=db;Multiplexing=true")]
    [DataRow("Host=db;Multiplexing=True;Password=hunter2-secret")]
    public void UsePostgreSql_MultiplexingOn_IsRefused(string connectionString)
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();

        var error = Assert.ThrowsExactly<ArgumentException>(() => services.AddKeyInfrastructure().UsePostgreSql(connectionString));

        StringAssert.Contains(error.Message, "Multiplexing=true is not supported");
        Assert.DoesNotContain("hunter2-secret", error.Message);
    }

    [TestMethod]
    [DataRow("Host=db;SSL Mode=Prefer")]
    [DataRow("Host=db;SslMode=Allow")]
    public void Parse_ModeThatFallsBackToPlainText_IsRefused(string connectionString)
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => PostgreSqlConnectionSettings.Parse(connectionString, new PostgreSqlStorageOptions(), "cs"));

        StringAssert.Contains(error.Message, "plain text");
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("   ")]
    [DataRow("Database=keyinfra;Password=hunter2-secret")]
    [DataRow("Host=db;Password=hunter2-secret;No Such Keyword=1")]
    [DataRow("Host=db;Password='hunter2-secret")]
    public void UsePostgreSql_BadConnectionString_ThrowsWithoutRepeatingIt(string connectionString)
    {
        var services = new ServiceCollection();

        var error = Assert.ThrowsExactly<ArgumentException>(() => services.AddKeyInfrastructure().UsePostgreSql(connectionString));

        Assert.AreEqual("connectionString", error.ParamName);
        Assert.DoesNotContain("hunter2", error.ToString());
    }

    [TestMethod]
    public void UsePostgreSql_ContradictorySettings_FailValidation()
    {
        var poolServices = new ServiceCollection();
        poolServices.AddKeyInfrastructure().UsePostgreSql("Host=db", pg =>
        {
            pg.MinPoolSize = 30;
            pg.MaxPoolSize = 20;
        });
        var certificateServices = new ServiceCollection();
        certificateServices.AddKeyInfrastructure().UsePostgreSql("Host=db", pg => pg.RootCertificatePath = "/nonexistent/ca.crt");
        using var poolProvider = poolServices.BuildServiceProvider();
        using var certificateProvider = certificateServices.BuildServiceProvider();

        var poolError = Assert.ThrowsExactly<OptionsValidationException>(() => poolProvider.GetRequiredService<IOptions<PostgreSqlStorageOptions>>().Value);
        var certificateError = Assert.ThrowsExactly<OptionsValidationException>(() => certificateProvider.GetRequiredService<IOptions<PostgreSqlStorageOptions>>().Value);

        StringAssert.Contains(poolError.Message, "minimum pool size (30) is above the maximum (20)");
        StringAssert.Contains(certificateError.Message, "/nonexistent/ca.crt");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new PostgreSqlStorageOptions().MaxPoolSize = 0);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new PostgreSqlStorageOptions().SslMode = (PostgreSqlSslMode)42);
    }

    [TestMethod]
    public async Task Repository_PooledConnectionKilled_RetriesOnANewOne()
    {
        await using var services = s_database.BuildServices(configure: pg => pg.MinPoolSize = 0);
        var keys = services.GetRequiredService<IKeyRepository>();
        var key = TestData.Key(Guid.NewGuid());
        await keys.AddAsync(key);

        await KillApplicationConnectionsAsync();
        var found = await keys.FindAsync(key.TenantId, key.Id);

        Assert.IsNotNull(found);
    }

    [TestMethod]
    public async Task Repository_RetriesOff_TransientFailureReachesTheCaller()
    {
        await using var services = s_database.BuildServices(configure: pg =>
        {
            pg.MinPoolSize = 0;
            pg.MaxRetryCount = 0;
        });
        var keys = services.GetRequiredService<IKeyRepository>();
        var key = TestData.Key(Guid.NewGuid());
        await keys.AddAsync(key);

        await KillApplicationConnectionsAsync();

        await Assert.ThrowsAsync<Exception>(() => keys.FindAsync(key.TenantId, key.Id));
    }

    [TestMethod]
    public async Task Logs_EverythingAtTraceAndAFailedLogin_NeverShowThePassword()
    {
        var capture = new LogCapture();
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        var password = PostgreSqlTestServer.Password(database.AppConnectionString);
        await using (var host = await PostgreSqlTestHost.StartAsync(
            database.AppConnectionString,
            PostgreSqlTestHost.NewMasterKey(),
            storage: pg => pg.SslMode = PostgreSqlSslMode.Require,
            logging: l => l.SetMinimumLevel(LogLevel.Trace).AddProvider(capture)))
        {
            var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "logged"));
            await host.Get<IKeyStore>().RevokeAsync(key.Id, RevocationReason.Superseded);
        }

        var wrong = new NpgsqlConnectionStringBuilder(database.AppConnectionString) { Password = "wrong-" + password }.ConnectionString;
        await using var failing = database.BuildServices(wrong);
        var loginError = await Assert.ThrowsAsync<PostgresException>(() => failing.GetRequiredService<IKeyInfraMigrator>().GetStatusAsync());

        Assert.AreEqual(PostgresErrorCodes.InvalidPassword, loginError.SqlState);
        Assert.DoesNotContain(password, loginError.ToString());
        Assert.IsGreaterThan(10, capture.Entries.Count);
        Assert.IsTrue(capture.Entries.Any(e => e.EventId.Id == 3201), "A weak TLS mode logs a warning.");
        foreach (var entry in capture.Entries)
        {
            Assert.DoesNotContain(password, entry.Text, entry.Category);
        }
    }

    private static async Task<bool> ConnectAsync(string host, PostgreSqlSslMode mode, string? rootCertificate)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(s_database.AppConnectionString) { Host = host, RootCertificate = null }.ConnectionString;
        await using var services = s_database.BuildServices(connectionString, pg =>
        {
            pg.SslMode = mode;
            pg.RootCertificatePath = rootCertificate;
        });

        // Through EF Core (the migrator) and through the data source the COPY writer uses.
        await services.GetRequiredService<IKeyInfraMigrator>().GetStatusAsync();
        var dataSource = services.GetRequiredService<PostgreSqlDataSource>().DataSource;
        await using var command = dataSource.CreateCommand("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private static async Task KillApplicationConnectionsAsync()
        => await s_database.AdminExecuteAsync(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'keyinfra_app' AND datname = current_database()");

    private static bool HasInner<T>(Exception error)
    {
        for (var ex = error; ex is not null; ex = ex.InnerException)
        {
            if (ex is T)
            {
                return true;
            }
        }

        return false;
    }
}
