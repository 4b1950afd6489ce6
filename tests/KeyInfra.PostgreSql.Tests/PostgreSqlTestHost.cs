using System.Security.Cryptography;
using KeyInfra.Encryption;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KeyInfra.PostgreSql.Tests;

/// <summary>
/// A real generic host running KeyInfra on a test database as the application role, with an environment-style
/// master key. Two hosts on one database stand for two instances of an application.
/// </summary>
internal sealed class PostgreSqlTestHost : IAsyncDisposable
{
    private PostgreSqlTestHost(IHost host) => Host = host;

    public IHost Host { get; }

    public IServiceProvider Services => Host.Services;

    public T Get<T>() where T : notnull => Host.Services.GetRequiredService<T>();

    public static string NewMasterKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(MasterKey.KeySizeBytes));

    public static async Task<PostgreSqlTestHost> StartAsync(
        string connectionString,
        string masterKey,
        Action<KeyInfraOptions>? options = null,
        Action<PostgreSqlStorageOptions>? storage = null,
        Action<IServiceCollection>? services = null,
        Action<ILoggingBuilder>? logging = null,
        Action<EnvironmentMasterKeyOptions>? masterKeyOptions = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        logging?.Invoke(builder.Logging);
        builder.Services.AddKeyInfrastructure(o =>
            {
                // The owner migrated the database; the application role could not.
                o.MigrateOnStartup = false;
                options?.Invoke(o);
            })
            .UsePostgreSql(connectionString, storage)
            .UseEnvironmentMasterKey(o =>
            {
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

        return new PostgreSqlTestHost(host);
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
