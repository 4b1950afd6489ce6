using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Storage;
using KeyInfra.Verification;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace KeyInfra.PostgreSql.Benchmarks;

/// <summary>
/// ECDSA P-256 verification with a durable record on PostgreSQL, by <see cref="Callers"/> concurrent callers:
/// KeyInfra (warm key cache, group commit: one array INSERT round trip, or binary COPY for large groups) against the floor (the platform's verify, in
/// parallel, recording nothing) and the naive way (per call: an EF query for the key, a key import, a verify and a
/// <c>SaveChanges</c> of the record). Each invocation is <see cref="Operations"/> verifications in all.
/// </summary>
[MemoryDiagnoser]
public class DurableVerificationBenchmarks : IAsyncDisposable
{
    /// <summary>Verifications per invocation, shared among the callers.</summary>
    public const int Operations = 256;

    private static readonly byte[] s_document = new byte[256];
    private string _database = "";
    private IHost? _host;
    private IVerifier? _verifier;
    private KeyId _keyId;
    private byte[] _signature = [];
    private ECDsa? _rawKey;
    private PooledDbContextFactory<NaiveVerificationContext>? _naive;
    private NpgsqlDataSource? _naiveDataSource;

    /// <summary>Concurrent callers.</summary>
    [Params(1, 2, 8, 64)]
    public int Callers { get; set; } = 1;

    /// <summary>Creates a database, migrates it, starts a host and makes a key.</summary>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        var admin = Environment.GetEnvironmentVariable("KEYINFRA_TEST_PG_ADMIN")
            ?? throw new InvalidOperationException("KEYINFRA_TEST_PG_ADMIN is not set: start a server with tests/provision-postgresql.sh (see Program.cs).");
        var owner = Environment.GetEnvironmentVariable("KEYINFRA_TEST_PG_OWNER")!;
        _database = "keyinfra_bench_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {_database} OWNER keyinfra_owner", connection);
            await command.ExecuteNonQueryAsync();
        }

        // The owner role for all three, so row-level security is no one's cost or advantage.
        var connectionString = new NpgsqlConnectionStringBuilder(owner) { Database = _database }.ConnectionString;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddKeyInfrastructure(o => o.VerificationLog.Mode = LogMode.Durable)
            .UsePostgreSql(connectionString, pg => pg.MaxPoolSize = 80)
            .UseEnvironmentMasterKey(o => o.MasterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        _host = builder.Build();
        await _host.StartAsync();

        var key = await _host.Services.GetRequiredService<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "benchmark"));
        _keyId = key.Id;
        _signature = (await _host.Services.GetRequiredService<ISigner>().SignAsync(new SignRequest(key.Id, s_document))).Signature;
        _verifier = _host.Services.GetRequiredService<IVerifier>();
        _rawKey = ECDsa.Create();
        _rawKey.ImportSubjectPublicKeyInfo(await _host.Services.GetRequiredService<IKeyStore>().ExportPublicKeyAsync(key.Id, KeyFormat.Der), out _);

        var naiveBuilder = new NpgsqlDataSourceBuilder(connectionString);
        naiveBuilder.ConnectionStringBuilder.MaxPoolSize = 80;
        _naiveDataSource = naiveBuilder.Build();
        _naive = new PooledDbContextFactory<NaiveVerificationContext>(
            new DbContextOptionsBuilder<NaiveVerificationContext>().UseNpgsql(_naiveDataSource).Options);

        // Warm every path once.
        await KeyInfraDurableCopy();
        await NaiveEfPerCall();
    }

    /// <summary>The floor: the platform's ECDSA verify in parallel, nothing recorded.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    public Task RawParallelVerify() => RunAsync(() =>
    {
        if (!_rawKey!.VerifyData(s_document, _signature, HashAlgorithmName.SHA256))
        {
            throw new InvalidOperationException("The signature did not verify.");
        }

        return Task.CompletedTask;
    });

    /// <summary>KeyInfra: warm cache, Durable log, group commit (array INSERT, or COPY for large groups).</summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public Task KeyInfraDurableCopy() => RunAsync(async () =>
    {
        var result = await _verifier!.VerifyAsync(new VerificationRequest(_keyId, s_document, _signature) { Caller = "benchmark" });
        if (!result.IsValid)
        {
            throw new InvalidOperationException(result.Status.ToString());
        }
    });

    /// <summary>The naive way: EF query, key import, verify and SaveChanges for every call.</summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public Task NaiveEfPerCall() => RunAsync(async () =>
    {
        await using var context = await _naive!.CreateDbContextAsync();
        var key = await context.Keys.AsNoTracking().FirstAsync(k => k.Id == _keyId.Value);
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(key.KeyData, out _);
        var valid = key.Status == "active" && ecdsa.VerifyData(s_document, _signature, HashAlgorithmName.SHA256);
        context.Records.Add(new NaiveRecord
        {
            Id = Guid.CreateVersion7(),
            TenantId = key.TenantId,
            KeyId = key.Id,
            RequestedKeyId = key.Id,
            Algorithm = "ecdsa-p256",
            Result = valid ? "valid" : "invalid_signature",
            DocumentSha256 = SHA256.HashData(s_document),
            SignatureSha256 = SHA256.HashData(_signature),
            VerifiedAt = DateTime.UtcNow,
            Caller = "benchmark",
        });
        await context.SaveChangesAsync();
    });

    /// <summary>Stops the host and drops the database.</summary>
    [GlobalCleanup]
    public async Task CleanupAsync() => await DisposeAsync();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
            _host = null;
        }

        _rawKey?.Dispose();
        if (_naiveDataSource is not null)
        {
            await _naiveDataSource.DisposeAsync();
            _naiveDataSource = null;
        }

        if (_database.Length > 0 && Environment.GetEnvironmentVariable("KEYINFRA_TEST_PG_ADMIN") is { } admin)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(admin);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
            _database = "";
        }
    }

    private async Task RunAsync(Func<Task> verification)
    {
        var perCaller = Operations / Callers;
        var callers = new Task[Callers];
        for (var c = 0; c < Callers; c++)
        {
            callers[c] = Task.Run(async () =>
            {
                for (var i = 0; i < perCaller; i++)
                {
                    await verification().ConfigureAwait(false);
                }
            });
        }

        await Task.WhenAll(callers).ConfigureAwait(false);
    }
}
