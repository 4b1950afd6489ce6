namespace KeyInfra.Authorization;

/// <summary>
/// The default <see cref="ICallerContext"/>: the caller flows with the current asynchronous operation, like
/// <see cref="AsyncLocal{T}"/>. The host sets it per request with <see cref="Use"/>.
/// </summary>
/// <remarks>
/// <para>
/// The value flows into everything the setting code awaits or starts (tasks, <c>Parallel</c> loops, timers)
/// and never into parallel requests: each request sees only the caller it set. A value set inside an
/// <c>async</c> method is gone once that method returns, so call <see cref="Use"/> in the method that then
/// awaits the work, such as a middleware around <c>next()</c>.
/// </para>
/// <para>Registered as a singleton; resolve it to set the caller. Thread-safe.</para>
/// </remarks>
public sealed class AsyncLocalCallerContext : ICallerContext
{
    private readonly AsyncLocal<Caller?> _current = new();

    /// <inheritdoc/>
    public Caller? Current => _current.Value;

    /// <summary>
    /// Makes <paramref name="caller"/> the current caller until the returned scope is disposed, which restores the
    /// caller that was current before (so scopes nest).
    /// </summary>
    /// <param name="caller">The caller; <c>null</c> clears it for the scope.</param>
    /// <returns>The scope; dispose it when the request ends. Disposing it twice restores once.</returns>
    public IDisposable Use(Caller? caller)
    {
        var scope = new Scope(this, _current.Value);
        _current.Value = caller;
        return scope;
    }

    private sealed class Scope(AsyncLocalCallerContext context, Caller? previous) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                context._current.Value = previous;
            }
        }
    }
}
