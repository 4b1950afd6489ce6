using System.Security.Cryptography;
using KeyInfra.Errors;

namespace KeyInfra.Encryption;

/// <summary>
/// The master keys a key source holds: the current one and older ones, by id. Owns and disposes them.
/// </summary>
/// <remarks>Immutable after construction, so lookups are thread-safe.</remarks>
internal sealed class MasterKeySet : IDisposable
{
    private readonly Dictionary<string, MasterKey> _byId = new(StringComparer.Ordinal);

    /// <summary>Takes ownership of the keys, also when it throws.</summary>
    /// <exception cref="MasterKeyException">KI2002: two different keys have the same id.</exception>
    public MasterKeySet(MasterKey current, IEnumerable<MasterKey> previous)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(previous);
        Current = current;
        _byId.Add(current.Id, current);
        var pending = previous.ToList();
        try
        {
            foreach (var key in pending)
            {
                if (_byId.TryGetValue(key.Id, out var existing))
                {
                    if (!CryptographicOperations.FixedTimeEquals(existing.KeyBytes, key.KeyBytes))
                    {
                        throw new MasterKeyException(
                            ErrorCodes.MasterKeyMalformed,
                            $"Two different master keys are configured with the id '{key.Id}'. Each key needs its own id: " +
                            "leave the ids out to use the keys' fingerprints, or correct the explicit ids.");
                    }

                    key.Dispose();
                    continue;
                }

                _byId.Add(key.Id, key);
                PreviousCount++;
            }
        }
        catch
        {
            foreach (var key in pending)
            {
                key.Dispose();
            }

            current.Dispose();
            throw;
        }
    }

    /// <summary>The key that wraps new data keys.</summary>
    public MasterKey Current { get; }

    /// <summary>How many distinct older keys the set holds.</summary>
    public int PreviousCount { get; }

    /// <summary>The key with that id (current or older), or <c>null</c>.</summary>
    public MasterKey? Find(string id) => _byId.GetValueOrDefault(id);

    public void Dispose()
    {
        foreach (var key in _byId.Values)
        {
            key.Dispose();
        }
    }
}
