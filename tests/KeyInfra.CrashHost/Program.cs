using KeyInfra.CrashHost;
using KeyInfra.EntityFrameworkCore;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Verification;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Usage: KeyInfra.CrashHost <database path> <callers>
//        KeyInfra.CrashHost <database path> hold-migration-lock
// The master key comes from KEYINFRA_MASTER_KEY. Runs KeyInfra with the Durable log on the SQLite file, creates a
// key, prints "key <id>", then has <callers> concurrent callers verify in a loop, printing "ack <record id>" as
// each VerifyAsync returns (that is, once its record is committed), until the process is killed. The crash test
// kills it with SIGKILL and checks that every printed record id is in the log.
// With hold-migration-lock the host starts migrating the file and stops for good right after EF Core has taken its
// migration lock row (__EFMigrationsLock), printing "migration-lock-held"; the test kills it at that moment.
//
// Usage: KeyInfra.CrashHost watch <database path> <key id> <document base64> <signature base64>
// Runs KeyInfra on the SQLite file (created and migrated by the test), then verifies the signature and signs with the
// key every 20 ms, printing "state <verification status> <sign outcome>" (the outcome is "ok" or an error code) each
// time the pair changes, until killed. The cross-process revocation test revokes the key from its own process and
// waits for this one to refuse it.
if (args.Length == 5 && args[0] == "watch")
{
    return await WatchAsync(args[1], new KeyId(Guid.Parse(args[2])), Convert.FromBase64String(args[3]), Convert.FromBase64String(args[4]));
}

var holdMigrationLock = args.Length == 2 && args[1] == "hold-migration-lock";
var callers = 0;
if (args.Length != 2 || (!holdMigrationLock && (!int.TryParse(args[1], out callers) || callers < 1)))
{
    Console.Error.WriteLine("Usage: KeyInfra.CrashHost <database path> <callers> | hold-migration-lock");
    return 2;
}

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddKeyInfrastructure(o => o.VerificationLog.Mode = LogMode.Durable)
    .UseSqlite($"Data Source={args[0]}")
    .UseEnvironmentMasterKey();
if (holdMigrationLock)
{
    // EF Core applies every registered configuration of the context, KeyInfra's and this one.
    builder.Services.ConfigureDbContext<KeyInfraDbContext>(options => options.AddInterceptors(new MigrationLockHold(Console.Out)));
}

using var host = builder.Build();
await host.StartAsync();

var key = await host.Services.GetRequiredService<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "crash"));
var document = "crash test"u8.ToArray();
var signature = (await host.Services.GetRequiredService<ISigner>().SignAsync(new SignRequest(key.Id, document))).Signature;
var verifier = host.Services.GetRequiredService<IVerifier>();

// One writer for stdout, so lines never interleave; each line is flushed before the next call starts.
var output = Console.Out;
lock (output)
{
    output.WriteLine($"key {key.Id}");
    output.Flush();
}

var loops = new Task[callers];
for (var i = 0; i < callers; i++)
{
    loops[i] = Task.Run(async () =>
    {
        var request = new VerificationRequest(key.Id, document, signature);
        while (true)
        {
            var result = await verifier.VerifyAsync(request);
            lock (output)
            {
                output.WriteLine($"ack {result.RecordId}");
                output.Flush();
            }
        }
    });
}

await Task.WhenAll(loops);
return 0;

static async Task<int> WatchAsync(string databasePath, KeyId keyId, byte[] document, byte[] signature)
{
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.Services.AddKeyInfrastructure(o => o.VerificationLog.Mode = LogMode.Off)
        .UseSqlite($"Data Source={databasePath}")
        .UseEnvironmentMasterKey();
    using var host = builder.Build();
    await host.StartAsync();
    var verifier = host.Services.GetRequiredService<IVerifier>();
    var signer = host.Services.GetRequiredService<ISigner>();
    string? last = null;
    while (true)
    {
        var verified = await verifier.VerifyAsync(new VerificationRequest(keyId, document, signature));
        string signed;
        try
        {
            await signer.SignAsync(new SignRequest(keyId, document));
            signed = "ok";
        }
        catch (KeyInfra.Errors.KeyInfraException e)
        {
            signed = e.ErrorCode;
        }

        var state = $"state {verified.Status} {signed}";
        if (state != last)
        {
            Console.Out.WriteLine(state);
            Console.Out.Flush();
            last = state;
        }

        await Task.Delay(20);
    }
}
