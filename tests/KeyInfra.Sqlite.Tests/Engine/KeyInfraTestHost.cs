using KeyInfra.Encryption;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KeyInfra.Sqlite.Tests.Engine;

/// <summary>
/// The shared <see cref="TestHost"/> on a SQLite file in its own temp folder, migrated by the host at start. Disposing
/// stops the host; the folder is deleted by <see cref="DeleteFolder"/>.
/// </summary>
internal sealed class KeyInfraTestHost : IAsyncDisposable
{
    private readonly TestHost _host;

    private KeyInfraTestHost(TestHost host, string folder, string databasePath)
    {
        _host = host;
        Folder = folder;
        DatabasePath = databasePath;
    }

    public IHost Host => _host.Host;

    public string Folder { get; }

    public string DatabasePath { get; }

    /// <summary>The host's master key, Base64 (a second instance on the same file needs it).</summary>
    public string MasterKey => _host.MasterKey;

    public IServiceProvider Services => _host.Services;

    public T Get<T>() where T : notnull => _host.Get<T>();

    public static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "keyinfra-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    public static string NewMasterKey() => TestHost.NewMasterKey();

    /// <summary>Builds and starts a host; the delegates adjust the registration.</summary>
    public static async Task<KeyInfraTestHost> StartAsync(
        string? folder = null,
        string? masterKey = null,
        Action<KeyInfraOptions>? options = null,
        Action<EnvironmentMasterKeyOptions>? masterKeyOptions = null,
        Action<IServiceCollection>? services = null)
    {
        folder ??= NewFolder();
        var databasePath = Path.Combine(folder, "keyinfra.db");
        var host = await TestHost.StartAsync(builder => builder.UseSqlite($"Data Source={databasePath}"), masterKey, options, masterKeyOptions, services);
        return new KeyInfraTestHost(host, folder, databasePath);
    }

    /// <summary>
    /// Runs SQL on a connection of its own, outside KeyInfra (unpooled, so nothing of it lingers): a fault only the
    /// database knows about, or a change behind KeyInfra's back.
    /// </summary>
    public void ExecuteOnOwnConnection(string sql)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static void DeleteFolder(string folder)
    {
        // SQLite pools connections; clear them so the files can go. A host still running may be committing a Buffered
        // audit record meanwhile (and so make its journal file again): try a few times.
        for (var attempt = 1; ; attempt++)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }

                return;
            }
            catch (IOException) when (attempt < 20)
            {
                Thread.Sleep(50);
            }
        }
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
