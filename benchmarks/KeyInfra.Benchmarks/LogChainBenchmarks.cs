using BenchmarkDotNet.Attributes;
using KeyInfra.Encryption;
using KeyInfra.Keys;
using KeyInfra.Storage;
using KeyInfra.Verification;
using KeyInfra.Verification.Chain;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace KeyInfra.Benchmarks;

/// <summary>
/// What the chain costs a group commit on SQLite (synchronous=FULL): the same group appended without digests (the
/// baseline) and sealed into its digest (manifest, HMAC) and appended with it, in one transaction.
/// Goal: at most a few percent.
/// </summary>
[MemoryDiagnoser]
public class LogChainBenchmarks : IDisposable
{
    private BenchmarkHost _host = null!;
    private IVerificationLogRepository _repository = null!;
    private LogChainWriter _chain = null!;

    /// <summary>Records per group commit.</summary>
    [Params(1, 64)]
    public int GroupSize { get; set; }

    /// <summary>Starts the host and a chain writer of its own.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _host = BenchmarkHost.Start();
        _repository = _host.Services.GetRequiredService<IVerificationLogRepository>();
        _chain = new LogChainWriter(_host.Services.GetRequiredService<IEncryptionKeyProvider>(), TimeProvider.System, NullLogger.Instance, TimeSpan.Zero);
    }

    /// <summary>Stops the host.</summary>
    [GlobalCleanup]
    public void Cleanup() => Dispose();

    /// <inheritdoc />
    public void Dispose()
    {
        _chain?.Dispose();
        _host?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The group without digests.</summary>
    [Benchmark(Baseline = true)]
    public Task CommitUnchained() => _repository.AppendAsync(Group(), [], []);

    /// <summary>The group sealed and appended with its digest.</summary>
    [Benchmark]
    public async Task CommitChained()
    {
        var records = Group();
        var digests = _chain.Seal(records, []);
        await _repository.AppendAsync(records, [], digests);
        _chain.Committed(digests);
    }

    private VerificationRecord[] Group()
    {
        var now = DateTimeOffset.UtcNow;
        var records = new VerificationRecord[GroupSize];
        for (var i = 0; i < records.Length; i++)
        {
            records[i] = new VerificationRecord
            {
                Id = Guid.CreateVersion7(now),
                TenantId = Guid.Empty,
                RequestedKeyId = new KeyId(Guid.CreateVersion7(now)),
                KeyExists = false,
                Status = VerificationStatus.KeyNotFound,
                DocumentSha256 = new byte[32],
                SignatureSha256 = new byte[32],
                VerifiedAt = now,
                Caller = "benchmark",
            };
        }

        return records;
    }
}
