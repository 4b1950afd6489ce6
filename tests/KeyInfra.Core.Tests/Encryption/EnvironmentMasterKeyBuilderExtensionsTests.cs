using KeyInfra.Encryption;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KeyInfra.Core.Tests.Encryption;

[TestClass]
public sealed class EnvironmentMasterKeyBuilderExtensionsTests
{
    [TestMethod]
    public void UseEnvironmentMasterKey_AnotherSourceRegisteredBefore_ReplacesIt()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IEncryptionKeyProvider>(_ => throw new InvalidOperationException("the source registered first"));
        var builder = services.AddKeyInfrastructure();

        builder.UseEnvironmentMasterKey();

        var provider = services.Single(d => d.ServiceType == typeof(IEncryptionKeyProvider));
        Assert.AreEqual(typeof(EnvironmentMasterKeyProvider), provider.ImplementationType);
        Assert.AreEqual(ServiceLifetime.Singleton, provider.Lifetime);
    }

    [TestMethod]
    public void UseEnvironmentMasterKey_CalledTwice_RegistersTheSourceOnceAndKeepsBothDelegatesInOrder()
    {
        var services = new ServiceCollection();
        var builder = services.AddKeyInfrastructure();

        builder.UseEnvironmentMasterKey(o => o.MasterKeyId = "first").UseEnvironmentMasterKey(o => o.MasterKeyId += "-second");

        Assert.AreEqual(1, services.Count(d => d.ServiceType == typeof(IEncryptionKeyProvider)));
        Assert.AreEqual(1, services.Count(d => d.ServiceType == typeof(IValidateOptions<EnvironmentMasterKeyOptions>)));
        var steps = services.Where(d => d.ServiceType == typeof(IConfigureOptions<EnvironmentMasterKeyOptions>)).ToList();
        Assert.HasCount(3, steps);
        Assert.AreEqual(typeof(EnvironmentMasterKeyOptionsSetup), steps[0].ImplementationType);
        var options = new EnvironmentMasterKeyOptions();
        ((IConfigureOptions<EnvironmentMasterKeyOptions>)steps[1].ImplementationInstance!).Configure(options);
        ((IConfigureOptions<EnvironmentMasterKeyOptions>)steps[2].ImplementationInstance!).Configure(options);
        Assert.AreEqual("first-second", options.MasterKeyId);
    }
}
