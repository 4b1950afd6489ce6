using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using KeyInfra.Keys;
using KeyInfra.Verification;
using Microsoft.EntityFrameworkCore;

namespace KeyInfra.Benchmarks;

/// <summary>
/// Case 4: the naive EF way — per verification, a new DbContext, a query for the key row, a PEM import, the
/// verify, and <c>SaveChanges</c> of the record — against KeyInfra with its Durable log, on the same SQLite file
/// and the same ECDSA P-256 key (imported into KeyInfra as PEM, so the row holds the PEM text), with 1 and 8
/// concurrent callers. Goal: KeyInfra Durable at least 10× the naive throughput.
/// </summary>
[MemoryDiagnoser]
public class NaiveEfBenchmarks : IDisposable
{
    /// <summary>Verifications per invocation.</summary>
    public const int Operations = 64;

    private readonly byte[] _message = new byte[256];
    private BenchmarkHost _host = null!;
    private DbContextOptions<NaiveDbContext> _naiveOptions = null!;
    private RawKey _raw = null!;
    private byte[] _signature = null!;
    private Guid _keyId;
    private VerificationRequest _request = null!;

    /// <summary>How many callers verify at once.</summary>
    [Params(1, 8)]
    public int Callers { get; set; } = 1;

    /// <summary>Starts a Durable host, imports a P-256 public key as PEM, signs with its private half.</summary>
    [GlobalSetup]
    public void Setup()
    {
        new Random(42).NextBytes(_message);
        _host = BenchmarkHost.Start(o => o.VerificationLog.Mode = LogMode.Durable);
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _signature = ecdsa.SignData(_message, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        var key = _host.Keys.ImportAsync(ImportKeyRequest.FromPem("naive", ecdsa.ExportSubjectPublicKeyInfoPem())).GetAwaiter().GetResult();
        _keyId = key.Id.Value;
        _raw = new RawKey(key);
        _request = new VerificationRequest(key.Id, _message, _signature);

        // The application's own context on the same database file, with EF Core's defaults.
        _naiveOptions = new DbContextOptionsBuilder<NaiveDbContext>().UseSqlite($"Data Source={_host.DatabasePath}").Options;
        if (!NaiveVerifyAsync().GetAwaiter().GetResult() || !_host.Verifier.VerifyAsync(_request).GetAwaiter().GetResult().IsValid)
        {
            throw new InvalidOperationException("The warm-up verification failed.");
        }
    }

    /// <summary>The raw platform verify on <see cref="Callers"/> concurrent tasks.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    public Task RawVerifyParallel() => RunCallers(() =>
    {
        if (!_raw.Verify(_message, _signature))
        {
            throw new InvalidOperationException("The raw verify failed.");
        }

        return Task.CompletedTask;
    });

    /// <summary>The naive EF way, per verification: query, PEM import, verify, SaveChanges.</summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public Task NaiveEf() => RunCallers(async () =>
    {
        if (!await NaiveVerifyAsync().ConfigureAwait(false))
        {
            throw new InvalidOperationException("The naive verify failed.");
        }
    });

    /// <summary>KeyInfra with the Durable log (every call returns once its record is committed).</summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public Task KeyInfraDurable() => RunCallers(async () =>
    {
        var result = await _host.Verifier.VerifyAsync(_request).ConfigureAwait(false);
        if (!result.IsValid)
        {
            throw new InvalidOperationException($"KeyInfra returned {result.Status}.");
        }
    });

    /// <summary>Stops the host and deletes its database.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        _raw?.Dispose();
        _host?.Dispose();
        GC.SuppressFinalize(this);
    }

    // Written the way it is often written: nothing cached, everything per call.
    private async Task<bool> NaiveVerifyAsync()
    {
        await using var context = new NaiveDbContext(_naiveOptions);
        var row = await context.Keys.SingleAsync(k => k.Id == _keyId).ConfigureAwait(false);
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(Encoding.ASCII.GetString(row.KeyData));
        var valid = row.Status == "active" && ecdsa.VerifyData(_message, _signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        context.Records.Add(new NaiveRecordRow
        {
            Id = Guid.CreateVersion7(),
            TenantId = Guid.Empty,
            KeyId = row.Id,
            RequestedKeyId = row.Id,
            Algorithm = "ecdsa-p256",
            Result = valid ? "valid" : "invalid_signature",
            DocumentSha256 = SHA256.HashData(_message),
            SignatureSha256 = SHA256.HashData(_signature),
            VerifiedAt = DateTime.UtcNow,
        });
        await context.SaveChangesAsync().ConfigureAwait(false);
        return valid;
    }

    private Task RunCallers(Func<Task> verify)
    {
        var perCaller = Operations / Callers;
        var tasks = new Task[Callers];
        for (var i = 0; i < tasks.Length; i++)
        {
            tasks[i] = Task.Run(async () =>
            {
                for (var j = 0; j < perCaller; j++)
                {
                    await verify().ConfigureAwait(false);
                }
            });
        }

        return Task.WhenAll(tasks);
    }
}
