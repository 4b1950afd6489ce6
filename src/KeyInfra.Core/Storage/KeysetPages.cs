namespace KeyInfra.Storage;

/// <summary>Reads a keyset-paged listing (ids after the last one of the previous page) to its end, a page at a time.</summary>
internal static class KeysetPages
{
    /// <param name="page">Reads the page after an id (<c>null</c>: the first), at most <paramref name="pageSize"/> items.</param>
    /// <param name="id">An item's id, the next page's lower bound.</param>
    /// <param name="pageSize">The size <paramref name="page"/> asks for; a shorter page is the last.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public static async IAsyncEnumerable<T> ReadAllAsync<T>(
        Func<Guid?, CancellationToken, Task<IReadOnlyList<T>>> page,
        Func<T, Guid> id,
        int pageSize,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Guid? after = null;
        while (true)
        {
            var items = await page(after, cancellationToken).ConfigureAwait(false);
            foreach (var item in items)
            {
                yield return item;
            }

            if (items.Count < pageSize)
            {
                yield break;
            }

            after = id(items[^1]);
        }
    }
}
