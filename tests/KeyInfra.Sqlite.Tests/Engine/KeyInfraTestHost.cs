using System.Security.Cryptography;
using KeyInfra.Encryption;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KeyInfra.Sqlite.Tests.Engine;

/// <summary>
/// A real generic host running KeyInfra on a SQLite file in its own temp folder, with an environment-style
/// master key. Disposing stops the host; the folder is deleted by <see cref="DeleteFolder"/>.
/// </summary>
internal sealed class KeyInfraTestHost : IAsyncDisposable
{
    private KeyInfraTestHost(IHost host, string folder, string databasePath)
    {
        Host = host;
        Folder = folder;
        DatabasePath = databasePath;
    }

    public IHost Host { get; }

    public string Folder { get; }

    public string DatabasePath { get; }

    public IServiceProvider Services => Host.Services;

    public T Get<T>() where T : notnull => Host.Services.GetRequiredService<T>();

    public static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "keyinfra-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    public static string NewMasterKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(MasterKey.KeySizeBytes));

    /// <summary>Builds and starts a host; <paramref name="configure"/> adjusts the registration.</summary>
    public static async Task<KeyInfraTestHost> StartAsync(
        string? folder = null,
        string? masterKey = null,
        Action<KeyInfraOptions>? options = null,
        Action<EnvironmentMasterKeyOptions>? masterKeyOptions = null,
        Action<IServiceCollection>? services = null)
    {
        folder ??= NewFolder();
        var databasePath = Path.Combine(folder, "keyinfra.db");
        masterKey ??= NewMasterKey();
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddKeyInfrastructure(o => options?.Invoke(o))
            .UseSqlite($"Data Source={databasePath}")
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
            await host.StartAsync().ConfigureAwait(false);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new KeyInfraTestHost(host, folder, databasePath);
    }

    public static void DeleteFolder(string folder)
    {
        // SQLite pools connections; clear them so the files can go.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync().ConfigureAwait(false);
        if (Host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            Host.Dispose();
        }
    }
}
