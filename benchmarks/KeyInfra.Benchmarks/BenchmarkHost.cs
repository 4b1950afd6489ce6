using System.Security.Cryptography;
using KeyInfra.Encryption;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Sqlite;
using KeyInfra.Verification;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KeyInfra.Benchmarks;

/// <summary>
/// KeyInfra as an application runs it: a generic host with the real registration
/// (<c>AddKeyInfrastructure().UseSqlite(...).UseEnvironmentMasterKey(...)</c>) on a SQLite file in a temp folder of
/// its own, migrated at start. <see cref="Dispose"/> stops the host (flushing the log) and deletes the folder.
/// </summary>
public sealed class BenchmarkHost : IDisposable
{
    private readonly IHost _host;

    private BenchmarkHost(IHost host, string folder, string databasePath)
    {
        _host = host;
        Folder = folder;
        DatabasePath = databasePath;
        Keys = host.Services.GetRequiredService<IKeyStore>();
        Signer = host.Services.GetRequiredService<ISigner>();
        Verifier = host.Services.GetRequiredService<IVerifier>();
        Log = host.Services.GetRequiredService<IVerificationLog>();
    }

    /// <summary>The temp folder holding the database.</summary>
    public string Folder { get; }

    /// <summary>The SQLite database file.</summary>
    public string DatabasePath { get; }

    /// <summary>The key registry.</summary>
    public IKeyStore Keys { get; }

    /// <summary>The signer.</summary>
    public ISigner Signer { get; }

    /// <summary>The verifier.</summary>
    public IVerifier Verifier { get; }

    /// <summary>The verification log.</summary>
    public IVerificationLog Log { get; }

    /// <summary>The host's services.</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>Builds and starts a host; <paramref name="configure"/> sets KeyInfra's options.</summary>
    /// <param name="configure">Adjusts the options (log mode, cache lifetimes).</param>
    /// <param name="sqlite">Adjusts the SQLite tuning (synchronous mode).</param>
    /// <param name="extend">Adds more to KeyInfra's registration (such as <c>AddPkcs11</c>).</param>
    public static BenchmarkHost Start(Action<KeyInfraOptions>? configure = null, Action<SqliteStorageOptions>? sqlite = null, Action<IKeyInfrastructureBuilder>? extend = null)
        => Start((builder, databasePath) => builder.UseSqlite($"Data Source={databasePath}", o => sqlite?.Invoke(o)), configure, extend);

    /// <summary>
    /// Builds and starts a host on PostgreSQL: the application role's connection string in <c>KEYINFRA_BENCH_PG</c>, the
    /// owner's (which migrates) in <c>KEYINFRA_BENCH_PG_OWNER</c>. <see cref="DatabasePath"/> is then unused.
    /// </summary>
    /// <exception cref="InvalidOperationException">The environment variables are not set.</exception>
    public static BenchmarkHost StartPostgreSql(Action<KeyInfraOptions>? configure = null)
    {
        var app = Environment.GetEnvironmentVariable("KEYINFRA_BENCH_PG");
        var owner = Environment.GetEnvironmentVariable("KEYINFRA_BENCH_PG_OWNER");
        if (string.IsNullOrEmpty(app) || string.IsNullOrEmpty(owner))
        {
            throw new InvalidOperationException(
                "Set KEYINFRA_BENCH_PG (the application role's connection string) and KEYINFRA_BENCH_PG_OWNER (the owner's, for the migrations) "
                + "to run the PostgreSQL benchmarks; docs/performance.md shows how with the test script's server.");
        }

        return Start((builder, _) => builder.UsePostgreSql(app, o => o.MigrationConnectionString = owner), configure, extend: null);
    }

    private static BenchmarkHost Start(
        Func<IKeyInfrastructureBuilder, string, IKeyInfrastructureBuilder> storage, Action<KeyInfraOptions>? configure, Action<IKeyInfrastructureBuilder>? extend)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "keyinfra-benchmarks", Guid.NewGuid().ToString("N"))).FullName;
        var databasePath = Path.Combine(folder, "keyinfra.db");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var keyInfra = storage(builder.Services.AddKeyInfrastructure(o => configure?.Invoke(o)), databasePath)
            .UseEnvironmentMasterKey(o =>
            {
                o.MasterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(MasterKey.KeySizeBytes));
                o.MasterSecret = null;
                o.PreviousMasterKeys = null;
            });
        extend?.Invoke(keyInfra);
        var host = builder.Build();
        host.StartAsync().GetAwaiter().GetResult();
        return new BenchmarkHost(host, folder, databasePath);
    }

    /// <summary>Creates a key of <paramref name="spec"/> (private key encrypted at rest) and signs <paramref name="message"/> with it.</summary>
    public (KeyInfo Key, byte[] Signature) CreateSignedKey(KeySpec spec, byte[] message)
    {
        var key = Keys.CreateAsync(new CreateKeyRequest(spec, $"bench-{spec.Name}")).GetAwaiter().GetResult();
        var signature = Signer.SignAsync(new SignRequest(key.Id, message)).GetAwaiter().GetResult();
        return (key, signature.Signature);
    }

    /// <summary>Stops the host (committing what the log still holds) and deletes the database folder.</summary>
    public void Dispose()
    {
        _host.StopAsync().GetAwaiter().GetResult();
        _host.Dispose();
        DeleteFolder(Folder);
    }

    /// <summary>Deletes a database folder once SQLite's pooled connections to it are closed.</summary>
    public static void DeleteFolder(string folder)
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
