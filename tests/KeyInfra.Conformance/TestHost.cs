using System.Security.Cryptography;
using KeyInfra.Encryption;
using KeyInfra.Tests.Conformance;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KeyInfra.Tests;

/// <summary>
/// A real generic host (no default configuration sources, logging at Warning) running KeyInfra on one storage, with
/// an environment-style master key given in code. Two hosts on one database stand for two instances of an
/// application, or for one application before and after a restart. Disposing stops the host.
/// </summary>
internal sealed class TestHost : IAsyncDisposable
{
    private TestHost(IHost host, string masterKey)
    {
        Host = host;
        MasterKey = masterKey;
    }

    public IHost Host { get; }

    /// <summary>The host's master key, Base64.</summary>
    public string MasterKey { get; }

    public IServiceProvider Services => Host.Services;

    public T Get<T>() where T : notnull => Host.Services.GetRequiredService<T>();

    /// <summary>A new random master key, Base64 as <c>KEYINFRA_MASTER_KEY</c> holds it.</summary>
    public static string NewMasterKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyInfra.Encryption.MasterKey.KeySizeBytes));

    /// <summary>Builds and starts a host on the conformance suite's database (<see cref="ConformanceStorage.UseStorage"/>).</summary>
    public static Task<TestHost> StartAsync(
        ConformanceStorage storage,
        string? masterKey = null,
        Action<KeyInfraOptions>? options = null,
        Action<EnvironmentMasterKeyOptions>? masterKeyOptions = null,
        Action<IServiceCollection>? services = null,
        Action<ILoggingBuilder>? logging = null)
        => StartAsync(storage.UseStorage, masterKey, options, masterKeyOptions, services, logging);

    /// <summary>
    /// Builds and starts a host whose storage <paramref name="useStorage"/> selects; the other delegates adjust the
    /// options, the master key source (previous keys, key id), the services (after KeyInfra's) and logging.
    /// </summary>
    public static async Task<TestHost> StartAsync(
        Func<IKeyInfrastructureBuilder, IKeyInfrastructureBuilder> useStorage,
        string? masterKey = null,
        Action<KeyInfraOptions>? options = null,
        Action<EnvironmentMasterKeyOptions>? masterKeyOptions = null,
        Action<IServiceCollection>? services = null,
        Action<ILoggingBuilder>? logging = null)
    {
        masterKey ??= NewMasterKey();
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        logging?.Invoke(builder.Logging);
        useStorage(builder.Services.AddKeyInfrastructure(o => options?.Invoke(o)))
            .UseEnvironmentMasterKey(o =>
            {
                // Only what the test gives: never the machine's KEYINFRA_* variables.
                o.MasterKey = masterKey;
                o.MasterSecret = null;
                o.PreviousMasterKeys = null;
                masterKeyOptions?.Invoke(o);
            });
        services?.Invoke(builder.Services);
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new TestHost(host, masterKey);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        if (Host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else
        {
            Host.Dispose();
        }
    }
}
