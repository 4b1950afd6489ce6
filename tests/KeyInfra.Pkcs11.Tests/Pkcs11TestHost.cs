using System.Security.Cryptography;
using System.Text;
using KeyInfra.Keys;
using KeyInfra.Pkcs11.Slots;
using KeyInfra.Signing;
using KeyInfra.Storage;
using KeyInfra.Verification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KeyInfra.Pkcs11.Tests;

/// <summary>
/// A real generic host running KeyInfra on a SQLite file in a temp folder, with a master key given in code and
/// <c>AddPkcs11</c> allowing the run's libsofthsm2.so. Logs at every level go to <see cref="Logs"/>.
/// </summary>
internal sealed class Pkcs11TestHost : IAsyncDisposable
{
    public const string ModuleName = "softhsm";

    private readonly bool _ownsFolder;

    private Pkcs11TestHost(IHost host, string folder, string masterKey, LogCapture logs, bool ownsFolder)
    {
        _ownsFolder = ownsFolder;
        Host = host;
        Folder = folder;
        MasterKey = masterKey;
        Logs = logs;
    }

    public IHost Host { get; }

    public string Folder { get; }

    public string DatabasePath => Path.Combine(Folder, "keyinfra.db");

    public string MasterKey { get; }

    public LogCapture Logs { get; }

    public IKeyStore KeyStore => Get<IKeyStore>();

    public ISigner Signer => Get<ISigner>();

    public IVerifier Verifier => Get<IVerifier>();

    public IHsmManager Hsm => Get<IHsmManager>();

    public IHsmRepository HsmRepository => Get<IHsmRepository>();

    public IKeyRepository KeyRepository => Get<IKeyRepository>();

    public T Get<T>() where T : notnull => Host.Services.GetRequiredService<T>();

    public static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "keyinfra-pkcs11-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Starts a host; one given a <paramref name="folder"/> leaves it behind when disposed unless <paramref name="ownsFolder"/> (a restarted host takes it over).</summary>
    public static async Task<Pkcs11TestHost> StartAsync(
        string? folder = null,
        Action<Pkcs11Options>? pkcs11 = null,
        Action<KeyInfraOptions>? options = null,
        Action<IServiceCollection>? services = null,
        string? masterKey = null,
        bool? ownsFolder = null,
        string? previousMasterKeys = null)
    {
        var modulePath = SoftHsm.ModulePath;
        ownsFolder ??= folder is null;
        folder ??= NewFolder();
        masterKey ??= Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var logs = new LogCapture();
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddProvider(logs);
        builder.Services.AddKeyInfrastructure(o => options?.Invoke(o))
            .UseSqlite($"Data Source={Path.Combine(folder, "keyinfra.db")}")
            .UseEnvironmentMasterKey(o =>
            {
                o.MasterKey = masterKey;
                o.MasterSecret = null;
                o.PreviousMasterKeys = previousMasterKeys;
            })
            .AddPkcs11(o =>
            {
                o.ModulePath = modulePath;
                pkcs11?.Invoke(o);
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

        return new Pkcs11TestHost(host, folder, masterKey, logs, ownsFolder.Value);
    }

    /// <summary>Adds the SoftHSM2 module (once) and a slot on the token with this label.</summary>
    public async Task<HsmSlotInfo> AddSlotAsync(string slotName, string tokenLabel, string pin)
    {
        if ((await Hsm.ListModulesAsync()).All(m => m.Name != ModuleName))
        {
            await Hsm.AddModuleAsync(ModuleName, SoftHsm.ModulePath);
        }

        var pinBytes = Encoding.UTF8.GetBytes(pin);
        try
        {
            return await Hsm.AddSlotAsync(new AddHsmSlotRequest(slotName, ModuleName) { TokenLabel = tokenLabel }, pinBytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pinBytes);
        }
    }

    /// <summary>Creates a key of <paramref name="spec"/> in the slot.</summary>
    public Task<KeyInfo> CreateHsmKeyAsync(KeySpec spec, string slotName, string? name = null, Action<Dictionary<string, string>>? backendOptions = null,
        SignatureEncoding encoding = SignatureEncoding.P1363, RsaPadding padding = RsaPadding.Pss)
    {
        var optionsMap = new Dictionary<string, string> { [Pkcs11BackendOptionNames.Slot] = slotName };
        backendOptions?.Invoke(optionsMap);
        return KeyStore.CreateAsync(new CreateKeyRequest(spec, name ?? $"hsm-{spec.Name}")
        {
            Backend = Pkcs11BackendOptionNames.BackendName,
            BackendOptions = optionsMap,
            SignatureEncoding = encoding,
            RsaPadding = padding,
        });
    }

    /// <summary>Every captured log line, for asserting that a secret appears in none.</summary>
    public string AllLogText() => string.Join('\n', Logs.Entries.Select(e => e.Text));

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

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (!_ownsFolder)
        {
            return;
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
