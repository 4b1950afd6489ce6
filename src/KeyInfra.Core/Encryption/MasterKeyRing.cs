using System.Collections.Frozen;
using System.Security.Cryptography;
using KeyInfra.Errors;

namespace KeyInfra.Encryption;

/// <summary>
/// An immutable snapshot of the master keys a key source holds: the current key, which wraps new data keys, and
/// older keys by id, which still unwrap data wrapped before a rotation. Operations obtain a ring as a
/// <see cref="MasterKeyRingLease"/> from <see cref="IEncryptionKeyProvider.AcquireRingAsync"/>.
/// </summary>
/// <remarks>
/// <para>
/// Lifetime: a ring owns its <see cref="MasterKey"/>s. A source publishes it (<see cref="MasterKeySourceBase"/>);
/// when the source publishes a newer ring, or is disposed, the ring is superseded, and its keys are zeroed when
/// the last lease on it is released, never while an operation still holds one. A ring that was never published
/// is zeroed by <see cref="Dispose"/>.
/// </para>
/// <para>Thread-safe: nothing in a ring changes after construction, so any number of lease holders may read it at once.</para>
/// </remarks>
public sealed class MasterKeyRing : IDisposable
{
    private const int Unpublished = 0;
    private const int Published = 1;
    private const int Disposed = 2;

    private readonly FrozenDictionary<string, MasterKey> _byId;
    private readonly MasterKey[] _owned;
    private readonly MasterKey[] _distinct;

    // The source's reference (or, before publishing, the creator's) plus one per lease. The keys go at zero.
    private int _references = 1;
    private int _state;

    /// <summary>Creates a ring from a current key and older ones; the ring takes ownership of every key.</summary>
    /// <param name="current">The key that wraps new data keys.</param>
    /// <param name="previous">Older keys, which unwrap existing data. The current key may be among them (the same key twice is kept once).</param>
    /// <remarks>
    /// The ring owns the keys from the moment they are passed, also when the constructor throws: then it zeroes them
    /// (except a key that another ring owns, which stays with that ring).
    /// </remarks>
    /// <exception cref="ArgumentException">A key is <c>null</c>, disposed, or already owned by another ring: create a new <see cref="MasterKey"/> from the bytes for each ring.</exception>
    /// <exception cref="MasterKeyException">KI2002: two different keys have the same id.</exception>
    public MasterKeyRing(MasterKey current, IEnumerable<MasterKey>? previous = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        var given = new List<MasterKey> { current };
        var byId = new Dictionary<string, MasterKey>(StringComparer.Ordinal);
        var owned = new List<MasterKey>();
        var distinct = new List<MasterKey>();
        try
        {
            if (previous is not null)
            {
                given.AddRange(previous);
            }

            for (var next = 0; next < given.Count; next++)
            {
                var key = given[next] ?? throw new ArgumentException("A master key passed to the ring is null.", nameof(previous));
                if (byId.TryGetValue(key.Id, out var existing) && ReferenceEquals(existing, key))
                {
                    continue;
                }

                if (!key.TryAttachToRing())
                {
                    throw new ArgumentException(
                        $"Master key '{key.Id}' is disposed or already belongs to another ring. A key belongs to one ring: create a new MasterKey from the key bytes for each ring.",
                        next == 0 ? nameof(current) : nameof(previous));
                }

                owned.Add(key);
                if (existing is not null)
                {
                    if (!CryptographicOperations.FixedTimeEquals(existing.KeyBytes, key.KeyBytes))
                    {
                        throw new MasterKeyException(
                            ErrorCodes.MasterKeyMalformed,
                            $"Two different master keys are configured with the id '{key.Id}'. Each key needs its own id: " +
                            "leave the ids out to use the keys' fingerprints, or correct the explicit ids.");
                    }

                    // The same key given twice: one copy is enough.
                    key.Zero();
                    continue;
                }

                byId.Add(key.Id, key);
                distinct.Add(key);
            }
        }
        catch
        {
            foreach (var key in owned)
            {
                key.Zero();
            }

            // Keys not reached yet were handed over too. Dispose does nothing to a key a ring owns (another ring's).
            foreach (var key in given)
            {
                key?.Dispose();
            }

            throw;
        }

        Current = current;
        PreviousCount = byId.Count - 1;
        _byId = byId.ToFrozenDictionary(StringComparer.Ordinal);
        _owned = [.. owned];
        _distinct = [.. distinct];
        KeyIds = [.. distinct.Select(k => k.Id)];
    }

    /// <summary>The key that wraps new data keys.</summary>
    /// <remarks>Valid while the caller holds a lease on this ring; do not keep it beyond.</remarks>
    public MasterKey Current { get; }

    /// <summary>How many distinct older keys the ring holds (the current key not counted).</summary>
    public int PreviousCount { get; }

    /// <summary>The ids of every key of the ring, the current one first, then the older ones in the order given (each once).</summary>
    public IReadOnlyList<string> KeyIds { get; }

    /// <summary>Every key of the ring, in the order of <see cref="KeyIds"/>; valid while the caller holds a lease.</summary>
    internal IReadOnlyList<MasterKey> Keys => _distinct;

    /// <summary>The key with that id (the current one or an older one), or <c>null</c> if the ring has none.</summary>
    /// <remarks>Valid while the caller holds a lease on this ring; do not keep it beyond.</remarks>
    public MasterKey? Find(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _byId.GetValueOrDefault(id);
    }

    /// <summary>
    /// Zeroes the keys of a ring that was never published. Once a source has published the ring, the source owns
    /// it and this does nothing: the keys are zeroed when the ring is superseded and its last lease is released.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.CompareExchange(ref _state, Disposed, Unpublished) == Unpublished)
        {
            Release();
        }
    }

    /// <summary>The id of the current key only; never key material.</summary>
    public override string ToString() => $"MasterKeyRing(current {Current.Id}, {PreviousCount} previous)";

    /// <summary>Marks the ring as owned by a source; the creator's reference becomes the source's.</summary>
    /// <exception cref="InvalidOperationException">The ring was published before or disposed.</exception>
    internal void MarkPublished()
    {
        if (Interlocked.CompareExchange(ref _state, Published, Unpublished) != Unpublished)
        {
            throw new InvalidOperationException("This master key ring was already published or disposed. Build a new MasterKeyRing (with new MasterKey instances) for each publication.");
        }
    }

    /// <summary>A new lease, or <c>null</c> if the ring's keys are already zeroed (its last reference went).</summary>
    internal MasterKeyRingLease? TryLease()
    {
        var references = Volatile.Read(ref _references);
        while (references > 0)
        {
            var seen = Interlocked.CompareExchange(ref _references, references + 1, references);
            if (seen == references)
            {
                return new MasterKeyRingLease(this);
            }

            references = seen;
        }

        return null;
    }

    /// <summary>Gives back one reference; the last one zeroes every key of the ring.</summary>
    internal void Release()
    {
        var left = Interlocked.Decrement(ref _references);
        if (left == 0)
        {
            foreach (var key in _owned)
            {
                key.Zero();
            }
        }
        else if (left < 0)
        {
            throw new InvalidOperationException("A master key ring was released more often than it was leased.");
        }
    }
}
