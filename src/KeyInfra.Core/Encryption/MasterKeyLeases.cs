namespace KeyInfra.Encryption;

/// <summary>Leasing a ring that holds a given master key: the ring as it is, or, when it lacks the key, after the source read its keys again on demand.</summary>
internal static class MasterKeyLeases
{
    /// <summary>
    /// Returns <paramref name="lease"/> if its ring holds <paramref name="keyId"/> (or the id is <c>null</c>, or the source
    /// cannot read on demand); otherwise asks the source for it and returns a new lease, the old one released.
    /// </summary>
    /// <remarks>The common case (the ring has the key) completes synchronously and allocates nothing. On failure the lease is released.</remarks>
    public static ValueTask<MasterKeyRingLease> WithKeyAsync(IEncryptionKeyProvider provider, MasterKeyRingLease lease, string? keyId, CancellationToken cancellationToken)
        => keyId is null || lease.Ring.Find(keyId) is not null || provider is not IOnDemandMasterKeySource onDemand
            ? ValueTask.FromResult(lease)
            : FetchAsync(provider, onDemand, lease, [keyId], cancellationToken);

    /// <summary>As <see cref="WithKeyAsync"/>, for every id of <paramref name="keyIds"/>.</summary>
    public static ValueTask<MasterKeyRingLease> WithKeysAsync(IEncryptionKeyProvider provider, MasterKeyRingLease lease, IEnumerable<string?> keyIds, CancellationToken cancellationToken)
    {
        if (provider is not IOnDemandMasterKeySource onDemand)
        {
            return ValueTask.FromResult(lease);
        }

        List<string>? missing = null;
        foreach (var id in keyIds)
        {
            if (id is not null && lease.Ring.Find(id) is null && !(missing ??= []).Contains(id, StringComparer.Ordinal))
            {
                missing.Add(id);
            }
        }

        return missing is null ? ValueTask.FromResult(lease) : FetchAsync(provider, onDemand, lease, missing, cancellationToken);
    }

    private static async ValueTask<MasterKeyRingLease> FetchAsync(
        IEncryptionKeyProvider provider, IOnDemandMasterKeySource onDemand, MasterKeyRingLease lease, IReadOnlyList<string> missing, CancellationToken cancellationToken)
    {
        try
        {
            var fetched = false;
            foreach (var id in missing)
            {
                fetched |= await onDemand.TryFetchAsync(id, cancellationToken).ConfigureAwait(false);
            }

            if (!fetched)
            {
                return lease;
            }
        }
        catch
        {
            lease.Dispose();
            throw;
        }

        lease.Dispose();
        return await provider.AcquireRingAsync(cancellationToken).ConfigureAwait(false);
    }
}
