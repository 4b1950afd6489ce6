using KeyInfra.Encryption;
using KeyInfra.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace KeyInfra.Core.Tests.Encryption;

[TestClass]
public sealed class KeyInfraMasterKeyBuilderExtensionsTests
{
    [TestMethod]
    public void UseMasterKeySource_CalledTwice_RegistersTheSourceOnceAsASingleton()
    {
        var services = new ServiceCollection();
        var builder = services.AddKeyInfrastructure();

        builder.UseMasterKeySource<ContainerBuiltSource>().UseMasterKeySource<ContainerBuiltSource>();

        var source = services.Single(d => d.ServiceType == typeof(IEncryptionKeyProvider));
        Assert.AreEqual(typeof(ContainerBuiltSource), source.ImplementationType);
        Assert.AreEqual(ServiceLifetime.Singleton, source.Lifetime);
    }

    [TestMethod]
    public void UseMasterKeySource_AfterTheEnvironmentSource_ReplacesIt()
    {
        var services = new ServiceCollection();
        var builder = services.AddKeyInfrastructure().UseEnvironmentMasterKey();

        builder.UseMasterKeySource(_ => new SwitchableMasterKeySource("custom", SwitchableMasterKeySource.NewKey()));

        var source = services.Single(d => d.ServiceType == typeof(IEncryptionKeyProvider));
        Assert.IsNull(source.ImplementationType);
        Assert.IsNotNull(source.ImplementationFactory);
    }

    [TestMethod]
    public void UseEnvironmentMasterKey_AfterAnotherSource_ReplacesIt()
    {
        var services = new ServiceCollection();
        var builder = services.AddKeyInfrastructure().UseMasterKeySource<ContainerBuiltSource>();

        builder.UseEnvironmentMasterKey();

        var source = services.Single(d => d.ServiceType == typeof(IEncryptionKeyProvider));
        Assert.AreEqual(typeof(EnvironmentMasterKeyProvider), source.ImplementationType);
    }

    [TestMethod]
    public async Task UseMasterKeySource_FactoryCalledTwice_LastFactoryWinsAndResolvesWithScopeValidation()
    {
        var services = new ServiceCollection();
        services.AddKeyInfrastructure()
            .UseMasterKeySource(_ => new SwitchableMasterKeySource("first", SwitchableMasterKeySource.NewKey()))
            .UseMasterKeySource(_ => new SwitchableMasterKeySource("second", SwitchableMasterKeySource.NewKey()));
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });

        var source = provider.GetRequiredService<IEncryptionKeyProvider>();
        using var lease = await source.AcquireRingAsync();

        Assert.AreEqual("second", lease.Ring.Current.Id);
        Assert.AreSame(source, provider.GetRequiredService<IEncryptionKeyProvider>());
    }

    [TestMethod]
    public async Task UseMasterKeySource_TypeWithDependencies_ResolvesWithScopeValidationAndIsDisposedWithTheContainer()
    {
        var services = new ServiceCollection();
        services.AddKeyInfrastructure().UseMasterKeySource<ContainerBuiltSource>();
        MasterKey key;
        await using (var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true }))
        {
            await using var lease = await provider.GetRequiredService<IEncryptionKeyProvider>().AcquireRingAsync();
            key = lease.Ring.Current;
            Assert.AreEqual("built-by-the-container", key.Id);
        }

        Assert.IsTrue(SwitchableMasterKeySource.IsZeroed(key));
    }

    /// <summary>A source the container constructs, with a dependency of its own.</summary>
    private sealed class ContainerBuiltSource(TimeProvider timeProvider) : MasterKeySourceBase
    {
        protected override ValueTask<MasterKeyRing> LoadRingAsync(CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(timeProvider);
            return ValueTask.FromResult(new MasterKeyRing(new MasterKey(SwitchableMasterKeySource.NewKey(), "built-by-the-container")));
        }
    }
}
