using System.Collections.Concurrent;
using System.Security.Cryptography;
using KeyInfra.Encryption;

namespace KeyInfra.Tests;

/// <summary>
/// A real second master key source, built only on the public <see cref="MasterKeySourceBase"/>: it publishes a new
/// ring whenever a test says so, like a Vault or KMS source that refreshes. Every ring it builds is kept, so tests
/// can tell whose keys were zeroed. Shared by the test projects (linked like MSTestSettings.cs).
/// </summary>
internal sealed class SwitchableMasterKeySource : MasterKeySourceBase
{
    private readonly Lock _lock = new();
    private readonly List<(string Id, byte[] Key)> _older = [];
    private readonly ConcurrentQueue<MasterKey[]> _rings = new();
    private (string Id, byte[] Key) _current;
    private int _generation;

    public SwitchableMasterKeySource(string id, byte[] key)
    {
        _current = (id, key.ToArray());
    }

    /// <summary>How many rings were built (loaded or published).</summary>
    public int RingCount => _rings.Count;

    /// <summary>The keys of every ring built so far, oldest ring first (the current key first in each).</summary>
    public IReadOnlyList<MasterKey[]> Rings => [.. _rings];

    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(MasterKey.KeySizeBytes);

    /// <summary>Whether a key's bytes were zeroed (a zeroed key refuses to be used).</summary>
    public static bool IsZeroed(MasterKey key)
    {
        try
        {
            key.ComputeCheckValue();
            return false;
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
    }

    /// <summary>
    /// Publishes a ring whose current key is <paramref name="key"/> under <paramref name="id"/>; the key that was
    /// current and every older one stay in it (one under the same id is replaced).
    /// </summary>
    public void MakeCurrent(string id, byte[] key)
    {
        lock (_lock)
        {
            if (!string.Equals(_current.Id, id, StringComparison.Ordinal))
            {
                _older.RemoveAll(k => string.Equals(k.Id, _current.Id, StringComparison.Ordinal));
                _older.Add(_current);
            }

            _older.RemoveAll(k => string.Equals(k.Id, id, StringComparison.Ordinal));
            _current = (id, key.ToArray());
            Publish(BuildRing());
        }
    }

    /// <summary>Publishes a ring with a new random current key (id "gen-N"), keeping every older key; returns the id.</summary>
    public string Rotate()
    {
        lock (_lock)
        {
            var id = $"gen-{++_generation}";
            MakeCurrent(id, NewKey());
            return id;
        }
    }

    protected override ValueTask<MasterKeyRing> LoadRingAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(BuildRing());
        }
    }

    private MasterKeyRing BuildRing()
    {
        // A key belongs to one ring, so every ring gets MasterKey instances of its own.
        var keys = new List<MasterKey> { new(_current.Key, _current.Id) };
        keys.AddRange(_older.Select(k => new MasterKey(k.Key, k.Id)));
        _rings.Enqueue([.. keys]);
        return new MasterKeyRing(keys[0], keys.Skip(1));
    }
}
