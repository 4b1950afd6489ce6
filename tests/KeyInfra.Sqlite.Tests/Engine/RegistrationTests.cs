using KeyInfra.Authorization;
using KeyInfra.Encryption;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Storage;
using KeyInfra.Tenancy;
using KeyInfra.Verification;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace KeyInfra.Sqlite.Tests.Engine;

[TestClass]
public sealed class RegistrationTests
{
    private string _folder = null!;

    [TestInitialize]
    public void Initialize() => _folder = KeyInfraTestHost.NewFolder();

    [TestCleanup]
    public void Cleanup() => KeyInfraTestHost.DeleteFolder(_folder);

    private ServiceCollection NewServices(Action<KeyInfraOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddKeyInfrastructure(configure)
            .UseSqlite($"Data Source={Path.Combine(_folder, "di.db")}")
            .UseEnvironmentMasterKey(o => o.MasterKey = KeyInfraTestHost.NewMasterKey());
        return services;
    }

    [TestMethod]
    public void BuildServiceProvider_ValidateScopesAndOnBuild_EveryRegisteredServiceResolves()
    {
        var services = NewServices();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        using var scope = provider.CreateScope();

        var resolved = 0;
        foreach (var descriptor in services.Where(d => !d.ServiceType.IsGenericTypeDefinition))
        {
            var resolver = descriptor.Lifetime == ServiceLifetime.Scoped ? scope.ServiceProvider : provider;
            Assert.IsNotNull(resolver.GetService(descriptor.ServiceType), descriptor.ServiceType.FullName);
            resolved++;
        }

        Assert.IsGreaterThan(10, resolved);
    }

    [TestMethod]
    public void AddKeyInfrastructure_CalledTwice_RegistersEachServiceOnceAndRunsBothConfigures()
    {
        var services = NewServices(o => o.MaxDocumentSize = 1000);
        services.AddKeyInfrastructure(o => o.KeyCache.MaxEntries = 7);
        using var provider = services.BuildServiceProvider();

        Assert.AreEqual(1, services.Count(d => d.ServiceType == typeof(IVerifier)));
        // KeyInfra's start-up service, its certificate maintenance and the SQLite key change detector, each once.
        Assert.AreEqual(3, services.Count(d => d.ServiceType == typeof(IHostedService)));
        Assert.AreEqual(3, services.Where(d => d.ServiceType == typeof(IHostedService)).Select(d => d.ImplementationType).Distinct().Count());
        var options = provider.GetRequiredService<IOptions<KeyInfraOptions>>().Value;
        Assert.AreEqual(1000, options.MaxDocumentSize);
        Assert.AreEqual(7, options.KeyCache.MaxEntries);
    }

    [TestMethod]
    public void AddKeyInfrastructure_UserRegistrationFirst_UserServiceWins()
    {
        var services = new ServiceCollection();
        var tenant = new FixedTenant(Guid.NewGuid());
        services.AddSingleton<ITenantContext>(tenant);
        services.AddKeyInfrastructure().UseSqlite($"Data Source={Path.Combine(_folder, "user.db")}");
        using var provider = services.BuildServiceProvider();

        Assert.AreSame(tenant, provider.GetRequiredService<ITenantContext>());
    }

    [TestMethod]
    public void UseSqliteAndMasterKey_CalledTwice_LastWinsAndOneRegistrationEach()
    {
        var services = NewServices();
        var builder = services.AddKeyInfrastructure();
        builder.UseSqlite($"Data Source={Path.Combine(_folder, "second.db")}");
        builder.UseEnvironmentMasterKey(o => o.MasterKey = KeyInfraTestHost.NewMasterKey());

        Assert.AreEqual(1, services.Count(d => d.ServiceType == typeof(IKeyRepository)));
        Assert.AreEqual(1, services.Count(d => d.ServiceType == typeof(IEncryptionKeyProvider)));
    }

    [TestMethod]
    public async Task StartAsync_InvalidOptions_FailsNamingTheSetting()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddKeyInfrastructure(o => o.VerificationLog.MaxBatchSize = 0)
            .UseSqlite($"Data Source={Path.Combine(_folder, "bad.db")}");
        using var host = builder.Build();

        var ex = await Assert.ThrowsExactlyAsync<OptionsValidationException>(() => host.StartAsync());

        StringAssert.Contains(ex.Message, "MaxBatchSize");
    }

    [TestMethod]
    [DataRow(-1.0)]
    [DataRow(301.0)]
    public async Task StartAsync_SealIntervalOutOfRange_FailsNamingTheSetting(double seconds)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddKeyInfrastructure(o => o.VerificationLog.SealInterval = TimeSpan.FromSeconds(seconds))
            .UseSqlite($"Data Source={Path.Combine(_folder, "bad-seal.db")}");
        using var host = builder.Build();

        var ex = await Assert.ThrowsExactlyAsync<OptionsValidationException>(() => host.StartAsync());

        StringAssert.Contains(ex.Message, "SealInterval");
    }

    [TestMethod]
    public async Task StartAsync_UndefinedAuditMode_FailsNamingTheSetting()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddKeyInfrastructure(o => o.Audit.DataPlane = (LogMode)42)
            .UseSqlite($"Data Source={Path.Combine(_folder, "bad-audit.db")}");
        using var host = builder.Build();

        var ex = await Assert.ThrowsExactlyAsync<OptionsValidationException>(() => host.StartAsync());

        StringAssert.Contains(ex.Message, "KeyInfra:Audit:DataPlane");
    }

    [TestMethod]
    public void Options_BoundFromKeyInfraConfigurationSection()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["KeyInfra:VerificationLog:Mode"] = "Buffered",
            ["KeyInfra:VerificationLog:MaxBatchSize"] = "64",
            ["KeyInfra:KeyCache:TimeToLive"] = "00:00:30",
            ["KeyInfra:MigrateOnStartup"] = "false",
            ["KeyInfra:Audit:DataPlane"] = "Off",
            ["KeyInfra:Audit:RecordVerifications"] = "true",
        });
        builder.Services.AddKeyInfrastructure().UseSqlite($"Data Source={Path.Combine(_folder, "config.db")}");
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<IOptions<KeyInfraOptions>>().Value;

        Assert.AreEqual(LogMode.Buffered, options.VerificationLog.Mode);
        Assert.AreEqual(64, options.VerificationLog.MaxBatchSize);
        Assert.AreEqual(TimeSpan.FromSeconds(30), options.KeyCache.TimeToLive);
        Assert.IsFalse(options.MigrateOnStartup);
        Assert.AreEqual(LogMode.Off, options.Audit.DataPlane);
        Assert.AreEqual(LogMode.Durable, options.Audit.ControlPlane, "a setting configuration leaves out keeps its default");
        Assert.IsTrue(options.Audit.RecordVerifications);
    }

    [TestMethod]
    [DataRow(false, DisplayName = "default: code after configuration")]
    [DataRow(true, DisplayName = "ApplyConfigurationAfterCode: configuration after code")]
    public void Options_SettingInCodeAndConfiguration_OrderAsAsked(bool configurationAfterCode)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["KeyInfra:VerificationLog:MaxBatchSize"] = "64",
        });
        var keyInfra = builder.Services.AddKeyInfrastructure(o =>
            {
                o.VerificationLog.MaxBatchSize = 128;
                o.KeyCache.MaxEntries = 500;
            })
            .UseSqlite($"Data Source={Path.Combine(_folder, "order.db")}");
        if (configurationAfterCode)
        {
            keyInfra.ApplyConfigurationAfterCode().ApplyConfigurationAfterCode();
        }

        using var host = builder.Build();
        var options = host.Services.GetRequiredService<IOptions<KeyInfraOptions>>().Value;

        Assert.AreEqual(configurationAfterCode ? 64 : 128, options.VerificationLog.MaxBatchSize);
        Assert.AreEqual(500, options.KeyCache.MaxEntries, "a setting configuration leaves out keeps the code's value");
        Assert.AreEqual(configurationAfterCode ? 1 : 0, builder.Services.Count(d => d.ServiceType == typeof(IPostConfigureOptions<KeyInfraOptions>)));
    }

    [TestMethod]
    public async Task StartAsync_NoStorageProvider_FailsWithActionableMessage()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddKeyInfrastructure();
        using var host = builder.Build();

        var ex = await Assert.ThrowsExactlyAsync<KeyInfra.Errors.KeyInfraException>(() => host.StartAsync());

        Assert.AreEqual(KeyInfra.Errors.ErrorCodes.NoStorageProvider, ex.ErrorCode);
        StringAssert.Contains(ex.Message, "UseSqlite");
    }

    [TestMethod]
    public async Task CreateAsync_NoMasterKeySource_ThrowsMasterKeyMissing()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddKeyInfrastructure().UseSqlite($"Data Source={Path.Combine(_folder, "nokey.db")}");
        using var host = builder.Build();
        await host.StartAsync();

        var ex = await Assert.ThrowsExactlyAsync<KeyInfra.Errors.MasterKeyException>(() =>
            host.Services.GetRequiredService<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "x")));

        Assert.AreEqual(KeyInfra.Errors.ErrorCodes.MasterKeyMissing, ex.ErrorCode);
        await host.StopAsync();
    }

    [TestMethod]
    public async Task TenantContext_TwoTenants_CannotSeeOrUseEachOthersKeys()
    {
        var tenant = new SwitchableTenant();
        await using var host = await KeyInfraTestHost.StartAsync(folder: _folder, services: s => s.AddSingleton<ITenantContext>(tenant));
        var keys = host.Get<IKeyStore>();
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();

        tenant.Current = a;
        var key = await keys.CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "tenant a"));
        var signature = await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, "x"u8.ToArray()));
        tenant.Current = b;

        Assert.IsNull(await keys.GetAsync(key.Id));
        Assert.AreEqual(0, (await keys.ListAsync(new KeyQuery())).Items.Count);
        Assert.AreEqual(VerificationStatus.KeyNotFound, (await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, "x"u8.ToArray(), signature.Signature))).Status);
        await Assert.ThrowsExactlyAsync<KeyInfra.Errors.UnknownKeyException>(() => host.Get<ISigner>().SignAsync(new SignRequest(key.Id, "x"u8.ToArray())));
        await Assert.ThrowsExactlyAsync<KeyInfra.Errors.UnknownKeyException>(() => keys.RevokeAsync(key.Id, RevocationReason.KeyCompromise));
        Assert.IsFalse(await keys.DeleteAsync(key.Id));
        tenant.Current = a;
        Assert.AreEqual(KeyStatus.Active, (await keys.GetAsync(key.Id))!.Status);
        Assert.AreEqual(VerificationStatus.Valid, (await host.Get<IVerifier>().VerifyAsync(new VerificationRequest(key.Id, "x"u8.ToArray(), signature.Signature))).Status);
    }

    [TestMethod]
    public void AddKeyInfrastructure_HostAuthorizerAndCallerContextFirst_HostsWin()
    {
        var services = new ServiceCollection();
        var authorizer = new RuleAuthorizer();
        var callers = new FixedCallerContext(Caller.ForSystem("host"));
        services.AddSingleton<IKeyInfraAuthorizer>(authorizer);
        services.AddSingleton<ICallerContext>(callers);
        services.AddKeyInfrastructure().UseSqlite($"Data Source={Path.Combine(_folder, "authorizer.db")}");
        services.AddKeyInfrastructure();
        using var provider = services.BuildServiceProvider();

        Assert.AreSame(authorizer, provider.GetRequiredService<IKeyInfraAuthorizer>());
        Assert.AreSame(callers, provider.GetRequiredService<ICallerContext>());
        Assert.AreEqual(1, services.Count(d => d.ServiceType == typeof(IKeyInfraAuthorizer)));
        Assert.AreEqual(1, services.Count(d => d.ServiceType == typeof(ICallerContext)));
    }

    [TestMethod]
    public async Task AddKeyInfrastructure_Defaults_CallerContextIsTheAsyncLocalOneAndEverythingIsAllowed()
    {
        using var provider = NewServices().BuildServiceProvider();
        var context = provider.GetRequiredService<AsyncLocalCallerContext>();

        Assert.AreSame(context, provider.GetRequiredService<ICallerContext>());
        using (context.Use(Caller.ForUser("anyone")))
        {
            var decision = provider.GetRequiredService<IKeyInfraAuthorizer>().AuthorizeAsync(
                new AuthorizationRequest(KeyInfraOperation.DeleteKey, context.Current, Guid.NewGuid(), KeyId.New()), CancellationToken.None);
            Assert.IsTrue(decision.IsCompletedSuccessfully, "The default answers without awaiting.");
            Assert.IsTrue((await decision).IsAllowed);
        }
    }

    private sealed class FixedCallerContext(Caller caller) : ICallerContext
    {
        public Caller? Current { get; } = caller;
    }

    private sealed class FixedTenant(Guid id) : ITenantContext
    {
        public Guid TenantId { get; } = id;
    }

    private sealed class SwitchableTenant : ITenantContext
    {
        public Guid Current { get; set; }

        public Guid TenantId => Current;
    }
}
