using System.Text;
using KeyInfra.Pkcs11.Diagnostics;
using KeyInfra.Pkcs11.HealthChecks;
using KeyInfra.Pkcs11.Keys;
using KeyInfra.Pkcs11.Slots;
using KeyInfra.PrivateKeys;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace KeyInfra.Pkcs11.Tests;

/// <summary>AddPkcs11 and its health check registration: safe twice, every service resolves, options validated at start, the user's registration wins.</summary>
[TestClass]
public sealed class RegistrationTests
{
    [TestMethod]
    public void AddPkcs11_CalledTwice_RegistersOnceAndRunsEveryDelegate()
    {
        var services = new ServiceCollection();
        var folder = Pkcs11TestHost.NewFolder();
        try
        {
            services.AddKeyInfrastructure().UseSqlite($"Data Source={Path.Combine(folder, "k.db")}").UseEnvironmentMasterKey(o => o.MasterKey = Convert.ToBase64String(new byte[32]))
                .AddPkcs11(o => o.ModulePath = "/opt/a/libpkcs11.so")
                .AddPkcs11(o => o.AllowedModulePaths.Add("/opt/b/libpkcs11.so"));
            services.AddHealthChecks().AddKeyInfrastructurePkcs11().AddKeyInfrastructurePkcs11(o => o.Slots.Add("signing"));

            Assert.AreEqual(1, services.Count(d => d.ServiceType == typeof(IPrivateKeyBackend) && d.ImplementationType == typeof(Pkcs11PrivateKeyBackend)));
            Assert.AreEqual(1, services.Count(d => d.ServiceType == typeof(IHsmManager)));
            using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
            var options = provider.GetRequiredService<IOptions<Pkcs11Options>>().Value;
            Assert.AreEqual("/opt/a/libpkcs11.so", options.ModulePath);
            CollectionAssert.AreEqual(new[] { "/opt/b/libpkcs11.so" }, options.AllowedModulePaths.ToArray());
            Assert.IsNotNull(provider.GetRequiredService<IHsmManager>());
            Assert.IsTrue(provider.GetServices<IPrivateKeyBackend>().Any(b => b.Name == Pkcs11BackendOptionNames.BackendName));
            Assert.IsNotNull(provider.GetRequiredService<Pkcs11Metrics>());
            var checks = provider.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations;
            Assert.AreEqual(1, checks.Count(r => r.Name == KeyInfraPkcs11HealthChecksBuilderExtensions.Pkcs11Name));
            CollectionAssert.AreEqual(new[] { "signing" }, provider.GetRequiredService<IOptions<Pkcs11HealthCheckOptions>>().Value.Slots.ToArray());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public void AddPkcs11_HostRegisteredManagerFirst_HostsWins()
    {
        var services = new ServiceCollection();
        var mine = new FakeManagerMarker();
        services.AddSingleton<IHsmManager>(mine);
        services.AddKeyInfrastructure().AddPkcs11();

        using var provider = services.BuildServiceProvider();
        Assert.AreSame(mine, provider.GetRequiredService<IHsmManager>());
    }

    [TestMethod]
    [DataRow("relative/libsofthsm2.so")]
    [DataRow("/usr/lib/../lib/softhsm/libsofthsm2.so")]
    [DataRow("/usr/lib/softhsm/")]
    public async Task StartAsync_ModulePathNotAbsoluteAndNormalized_HostDoesNotStart(string path)
    {
        var error = await Assert.ThrowsExactlyAsync<OptionsValidationException>(() => Pkcs11TestHost.StartAsync(pkcs11: o => o.AllowedModulePaths.Add(path)));

        StringAssert.Contains(error.Message, path);
    }

    [TestMethod]
    public async Task StartAsync_SessionLimitOutOfRange_HostDoesNotStart()
    {
        await Assert.ThrowsExactlyAsync<OptionsValidationException>(() => Pkcs11TestHost.StartAsync(pkcs11: o => o.MaxSessionsPerToken = 0));
        await Assert.ThrowsExactlyAsync<OptionsValidationException>(() => Pkcs11TestHost.StartAsync(pkcs11: o => o.SessionWaitTimeout = TimeSpan.Zero));
    }

    [TestMethod]
    public void ModulePaths_IsAllowed_ExactAbsolutePathsOnly()
    {
        var options = new Pkcs11Options { ModulePath = "/usr/lib/softhsm/libsofthsm2.so" };
        options.AllowedModulePaths.Add("/opt/vendor/lib/libcknfast.so");

        Assert.IsTrue(ModulePaths.IsAllowed(options, "/usr/lib/softhsm/libsofthsm2.so"));
        Assert.IsTrue(ModulePaths.IsAllowed(options, "/opt/vendor/lib/libcknfast.so"));
        Assert.IsFalse(ModulePaths.IsAllowed(options, "/usr/lib/softhsm/../softhsm/libsofthsm2.so"));
        Assert.IsFalse(ModulePaths.IsAllowed(options, "/usr/lib/softhsm//libsofthsm2.so"));
        Assert.IsFalse(ModulePaths.IsAllowed(options, "/usr/lib/softhsm/libsofthsm2.so "));
        Assert.IsFalse(ModulePaths.IsAllowed(options, "/USR/lib/softhsm/libsofthsm2.so"));
        Assert.IsFalse(ModulePaths.IsAllowed(options, "/tmp/libevil.so"));
        Assert.IsFalse(ModulePaths.IsAllowed(new Pkcs11Options(), "/usr/lib/softhsm/libsofthsm2.so"), "Nothing is allowed unless the host says so.");
    }

    private sealed class FakeManagerMarker : IHsmManager
    {
        public Task<HsmModuleInfo> AddModuleAsync(string name, string libraryPath, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<HsmModuleInfo>> ListModulesAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<bool> RemoveModuleAsync(string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<HsmSlotInfo> AddSlotAsync(AddHsmSlotRequest request, ReadOnlyMemory<byte> pin, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<HsmSlotInfo>> ListSlotsAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<HsmTokenInfo> TestSlotAsync(string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<bool> RemoveSlotAsync(string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<HsmPinRewrapSummary> RewrapPinsAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}

/// <summary>The stored token reference is parsed strictly: it comes from the database, which is not trusted.</summary>
[TestClass]
public sealed class ObjectReferenceTests
{
    [TestMethod]
    public void Parse_EncodedReference_RoundTrips()
    {
        var reference = new ObjectReference([1, 2, 3], "keyinfra-label");

        var parsed = ObjectReference.Parse(reference.Encode(), Guid.Empty);

        CollectionAssert.AreEqual(reference.Id, parsed.Id);
        Assert.AreEqual(reference.Label, parsed.Label);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("02000100000000")]
    [DataRow("0100020a0000")]
    [DataRow("010001aa000000")]
    [DataRow("010001aa0001")]
    [DataRow("010001aa000161ff")]
    [DataRow("0100000000")]
    [DataRow("010000000180")]
    public void Parse_MalformedReference_ReferenceInvalid(string hex)
    {
        var error = Assert.ThrowsExactly<Errors.HsmException>(() => ObjectReference.Parse(Convert.FromHexString(hex), Guid.Empty));

        Assert.AreEqual(Errors.Pkcs11ErrorCodes.ReferenceInvalid, error.ErrorCode);
    }

    [TestMethod]
    public void Parse_OversizedLengths_RefusedBeforeAllocating()
    {
        var huge = new byte[5 + ObjectReference.MaxIdLength + ObjectReference.MaxLabelLength + 1];
        huge[0] = ObjectReference.Version;
        huge[1] = 0xff;
        huge[2] = 0xff;

        Assert.ThrowsExactly<Errors.HsmException>(() => ObjectReference.Parse(huge, Guid.Empty));
    }

    [TestMethod]
    public void ContextFor_ModuleOrTokenChanged_BindingDiffers()
    {
        var tenant = Guid.NewGuid();
        var slot = Guid.NewGuid();
        var context = SlotPins.ContextFor(tenant, slot, "softhsm", "token", null);

        Assert.AreEqual("hsm_slots", context.Table);
        Assert.AreEqual("pin", context.Column);
        Assert.AreEqual(slot, context.RowId);
        Assert.AreEqual(tenant, context.TenantId);
        var binding = context.Binding.ToArray();
        Assert.IsFalse(binding.AsSpan().SequenceEqual(SlotPins.ContextFor(tenant, slot, "softhsm2", "token", null).Binding.Span));
        Assert.IsFalse(binding.AsSpan().SequenceEqual(SlotPins.ContextFor(tenant, slot, "softhsm", "token2", null).Binding.Span));
        Assert.IsFalse(binding.AsSpan().SequenceEqual(SlotPins.ContextFor(tenant, slot, "softhsm", null, "token").Binding.Span), "A label and a serial of the same text are different tokens.");
        Assert.IsFalse(binding.AsSpan().SequenceEqual(SlotPins.ContextFor(tenant, slot, "sofths", "mtoken", null).Binding.Span), "The binding is not a plain concatenation.");
    }
}
