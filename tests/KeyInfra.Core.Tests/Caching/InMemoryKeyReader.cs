using System.Collections.Concurrent;
using KeyInfra.Keys;
using KeyInfra.Storage;

namespace KeyInfra.Core.Tests.Caching;

/// <summary>
/// A second, in-memory implementation of the <see cref="IKeyReader"/> seam: holds key records the test writes, counts
/// reads, and can hold reads at a gate the test opens.
/// </summary>
internal sealed class InMemoryKeyReader : IKeyReader
{
    private readonly ConcurrentDictionary<KeyId, KeyRecord> _records = new();
    private int _reads;

    /// <summary>While set, reads wait for it before they look.</summary>
    public TaskCompletionSource? Gate { get; set; }

    public int Reads => Volatile.Read(ref _reads);

    public void Write(KeyRecord record) => _records[record.Id] = record;

    public async Task<KeyRecord?> ReadAsync(Guid tenantId, KeyId keyId, KeyReadPurpose purpose, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (!_records.TryGetValue(keyId, out var record) || record.TenantId != tenantId)
        {
            return null;
        }

        return purpose == KeyReadPurpose.Signing ? record : record with { PrivateKey = null, HasPrivateKey = record.PrivateKey is not null };
    }
}
