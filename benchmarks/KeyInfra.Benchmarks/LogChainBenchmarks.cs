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
/// What the chain costs a group commit on SQLite (synchronous=FULL), as the log writer does it: the same group
/// appended without digests (the baseline); sealed on its own (one join and one HMAC per tenant) and appended with
/// its digest row in the same transaction (<see cref="VerificationLogOptions.SealInterval"/> zero); and as the
/// default interval of 1 second does it, where a group carries a digest only when a seal is due and that digest
/// covers every group committed since the last one. Goal: at most a few percent.
/// </summary>
/// <remarks>
/// The interval is real time: an iteration's commits take a fraction of a second to a few seconds, so the seals
/// that fall due during it (or that the cap of <see cref="LogChainWriter.MaxUnsealedEntries"/> forces) are paid
/// where they fall, as in a writer under load.
/// The manifest entries (an encoding and a SHA-256 per entry) are made on the callers' threads when they hand their
/// records to the log, not by the writer: <see cref="HashEntriesOnCallers"/> measures that share on its own. Groups
/// are made before each iteration so that every method commits new rows and none pays for making them.
/// </remarks>
[MemoryDiagnoser]
[InvocationCount(Invocations)]
public class LogChainBenchmarks : IDisposable
{
    private const int Invocations = 512;

    private BenchmarkHost _host = null!;
    private IVerificationLogRepository _repository = null!;
    private LogChainWriter _chain = null!;
    private LogChainWriter _interval = null!;
    private readonly Queue<(VerificationRecord[] Records, LogChainEntries[] Entries)> _groups = new();

    /// <summary>Records per group commit.</summary>
    [Params(1, 64)]
    public int GroupSize { get; set; }

    /// <summary>Starts the host and a chain writer of its own.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _host = StartHost();
        _repository = _host.Services.GetRequiredService<IVerificationLogRepository>();
        var keys = _host.Services.GetRequiredService<IEncryptionKeyProvider>();
        _chain = new LogChainWriter(keys, TimeProvider.System, NullLogger.Instance, TimeSpan.Zero, TimeSpan.Zero);
        _interval = new LogChainWriter(keys, TimeProvider.System, NullLogger.Instance, TimeSpan.Zero, new VerificationLogOptions().SealInterval);
    }

    /// <summary>The host whose repository the groups are committed through (SQLite, synchronous=FULL).</summary>
    protected virtual BenchmarkHost StartHost() => BenchmarkHost.Start();

    /// <summary>Makes the groups the iteration commits, with their manifest entries as callers make them.</summary>
    [IterationSetup]
    public void MakeGroups()
    {
        _groups.Clear();
        for (var i = 0; i < Invocations; i++)
        {
            var records = Group();
            _groups.Enqueue((records, Array.ConvertAll(records, LogChainEntries.Of)));
        }
    }

    /// <summary>Stops the host.</summary>
    [GlobalCleanup]
    public void Cleanup() => Dispose();

    /// <inheritdoc />
    public void Dispose()
    {
        _chain?.Dispose();
        _interval?.Dispose();
        _host?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The group without digests.</summary>
    [Benchmark(Baseline = true)]
    public Task CommitUnchained() => _repository.AppendAsync(new LogGroup { Records = _groups.Dequeue().Records });

    /// <summary>The group sealed on its own and appended with its digest (seal interval zero).</summary>
    [Benchmark]
    public async Task CommitSealedEachGroup()
    {
        var (records, entries) = _groups.Dequeue();
        var digests = _chain.SealIfDue(entries, force: false);
        await _repository.AppendAsync(new LogGroup { Records = records, Digests = digests });
        _chain.Committed(entries, digests);
    }

    /// <summary>The group appended as the writer does at the default seal interval: with a digest only when one is due.</summary>
    [Benchmark]
    public async Task CommitSealedPerInterval()
    {
        var (records, entries) = _groups.Dequeue();
        var digests = _interval.SealIfDue(entries, force: false);
        await _repository.AppendAsync(new LogGroup { Records = records, Digests = digests });
        _interval.Committed(entries, digests);
    }

    /// <summary>The callers' share: the group's manifest entries, made as each record is handed to the log.</summary>
    [Benchmark]
    public int HashEntriesOnCallers() => Array.ConvertAll(_groups.Dequeue().Records, LogChainEntries.Of).Length;

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
