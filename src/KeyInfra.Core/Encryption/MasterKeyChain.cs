using KeyInfra.Errors;

namespace KeyInfra.Encryption;

/// <summary>
/// The master key source of <c>UseMasterKeyChain(...)</c>: one ring made of several sources. The current source's
/// current key wraps new data; every other key of every source (the current source's older keys, and the current and
/// older keys of each previous source) still opens what it wrapped. "Read with the environment key or Vault, write
/// with Azure Key Vault."
/// </summary>
/// <remarks>
/// <para>
/// The chain holds no keys of its own: each lease it hands out is on a ring composed from its sources' rings at that
/// moment (copies of their keys, so each ring still owns what it holds). Acquiring a lease leases every source's ring
/// and compares it with the ones the chain's ring was made from, by reference; only when a source has published a new
/// ring (a refresh found a new version) is the chain's ring composed again. A refresh that fails in one source keeps
/// that source's last good keys, as the source itself does.
/// </para>
/// <para>
/// The first lease loads every source; it fails with the first source that fails, naming it (KI2005), so a host whose
/// previous source is unreachable does not start: data wrapped under that source's keys would be unreadable. Two sources
/// that give different keys the same id fail it too (KI2002). Thread-safe; disposes the sources it made.
/// </para>
/// </remarks>
internal sealed class MasterKeyChain : IEncryptionKeyProvider, IOnDemandMasterKeySource, IDisposable
{
    private readonly IReadOnlyList<ChainLink> _links;
    private readonly Composed _composed = new();
    private readonly SemaphoreSlim _composing = new(1, 1);

    // The source rings the published ring was composed from; compared by reference on every acquisition.
    private MasterKeyRing[]? _composedFrom;
    private int _disposed;

    /// <summary>Creates the chain; it disposes the sources it owns.</summary>
    /// <param name="links">The current source first, then the previous ones; each with the name errors use.</param>
    public MasterKeyChain(IReadOnlyList<ChainLink> links)
    {
        ArgumentNullException.ThrowIfNull(links);
        if (links.Count == 0)
        {
            throw new ArgumentException("A master key chain needs a current source.", nameof(links));
        }

        for (var i = 0; i < links.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (ReferenceEquals(links[i].Source, links[j].Source))
                {
                    throw new ArgumentException(
                        $"The master key chain names the same source twice ({links[j].Name} and {links[i].Name}). A source of one kind can be in a chain once; " +
                        "give it its previous keys in its own options (the environment's KEYINFRA_PREVIOUS_MASTER_KEYS, Vault's previous versions, AWSPREVIOUS, Azure's previous versions).",
                        nameof(links));
                }
            }
        }

        _links = links;
    }

    /// <summary>The sources, the current one first, as configured.</summary>
    public IReadOnlyList<ChainLink> Links => _links;

    /// <inheritdoc />
    public async ValueTask<MasterKeyRingLease> AcquireRingAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var leases = await AcquireSourcesAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsComposedFrom(leases) && _composed.TryLeasePublished() is { } published)
            {
                return published;
            }
        }
        finally
        {
            Release(leases);
        }

        // A source published new keys. One caller at a time composes, from leases taken after it holds the lock: a caller
        // that saw an older ring can never publish it over a newer one.
        await _composing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            leases = await AcquireSourcesAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (!IsComposedFrom(leases))
                {
                    // The source leases are held, so their keys are intact while they are copied.
                    _composed.PublishRing(Compose(leases));
                    Volatile.Write(ref _composedFrom, [.. leases.Select(l => l.Ring)]);
                }
            }
            finally
            {
                Release(leases);
            }

            return _composed.TryLeasePublished() ?? throw new ObjectDisposedException(nameof(MasterKeyChain));
        }
        finally
        {
            _composing.Release();
        }
    }

    /// <inheritdoc />
    /// <remarks>Asks each source that can read on demand, in order; the next lease composes the chain's ring again if one did.</remarks>
    public async ValueTask<bool> TryFetchAsync(string keyId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        foreach (var link in _links)
        {
            if (link.Source is IOnDemandMasterKeySource onDemand && await onDemand.TryFetchAsync(keyId, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Releases the chain's ring and disposes every source.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _composed.Dispose();
        foreach (var link in _links.Where(l => l.Owned))
        {
            (link.Source as IDisposable)?.Dispose();
        }
    }

    /// <summary>The ring of a chain: the current source's current key, then every other key of every source, in order.</summary>
    private MasterKeyRing Compose(MasterKeyRingLease[] leases)
    {
        var copies = new List<MasterKey>();
        try
        {
            foreach (var lease in leases)
            {
                foreach (var key in lease.Ring.Keys)
                {
                    copies.Add(new MasterKey(key.KeyBytes, key.Id));
                }
            }
        }
        catch
        {
            foreach (var copy in copies)
            {
                copy.Dispose();
            }

            throw;
        }

        try
        {
            return new MasterKeyRing(copies[0], copies.Skip(1));
        }
        catch (MasterKeyException e) when (e.ErrorCode == ErrorCodes.MasterKeyMalformed)
        {
            throw new MasterKeyException(
                ErrorCodes.MasterKeyMalformed,
                $"The sources of the master key chain ({string.Join(", ", _links.Select(l => l.Name))}) give two different keys the same id. " +
                "Every key needs its own id across the chain: leave explicit ids out to use the keys' fingerprints, or correct them. " + e.Message,
                e);
        }
    }

    private async ValueTask<MasterKeyRingLease[]> AcquireSourcesAsync(CancellationToken cancellationToken)
    {
        var leases = new MasterKeyRingLease[_links.Count];
        var acquired = 0;
        try
        {
            for (; acquired < _links.Count; acquired++)
            {
                leases[acquired] = await AcquireSourceAsync(_links[acquired], cancellationToken).ConfigureAwait(false);
            }

            return leases;
        }
        catch
        {
            Release(leases.AsSpan(0, acquired));
            throw;
        }
    }

    private static void Release(ReadOnlySpan<MasterKeyRingLease> leases)
    {
        foreach (var lease in leases)
        {
            lease.Dispose();
        }
    }

    private bool IsComposedFrom(MasterKeyRingLease[] leases)
    {
        var from = Volatile.Read(ref _composedFrom);
        if (from is null)
        {
            return false;
        }

        for (var i = 0; i < leases.Length; i++)
        {
            if (!ReferenceEquals(from[i], leases[i].Ring))
            {
                return false;
            }
        }

        return true;
    }

    private static async ValueTask<MasterKeyRingLease> AcquireSourceAsync(ChainLink link, CancellationToken cancellationToken)
    {
        try
        {
            return await link.Source.AcquireRingAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not ObjectDisposedException)
        {
            throw new MasterKeyException(
                ErrorCodes.MasterKeySourceFailed,
                $"The master key chain's {link.Name} source could not give its keys ({(e as KeyInfraException)?.ErrorCode ?? e.GetType().Name}); see the inner exception. " +
                "Every source of the chain must be reachable: data wrapped under its keys cannot be read without them. Nothing was written.",
                e);
        }
    }

    /// <summary>A source of the chain, with the name its errors and status use (for example <c>previous 1 (VaultMasterKeySource)</c>).</summary>
    /// <param name="Name">How the source is named in messages.</param>
    /// <param name="Source">The source.</param>
    /// <param name="Owned">Whether the chain disposes it (it made it, rather than being given an instance).</param>
    internal sealed record ChainLink(string Name, IEncryptionKeyProvider Source, bool Owned);

    /// <summary>The publication machinery of <see cref="MasterKeySourceBase"/>, for rings the chain composes itself.</summary>
    private sealed class Composed : MasterKeySourceBase
    {
        public void PublishRing(MasterKeyRing ring) => Publish(ring);

        // The chain publishes before it leases, so there is never anything to load.
        protected override ValueTask<MasterKeyRing> LoadRingAsync(CancellationToken cancellationToken)
            => throw new InvalidOperationException("The master key chain composes its ring before leasing it.");
    }
}
