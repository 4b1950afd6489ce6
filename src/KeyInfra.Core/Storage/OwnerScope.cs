using KeyInfra.Authorization;

namespace KeyInfra.Storage;

/// <summary>
/// The owners whose rows the storage reads of the current async flow may return: the engine enters it, from the
/// authorizer's <see cref="AuthorizationDecision.Owners"/>, around the reads that serve an owner-scoped caller (a key
/// list, a verification-log query). A storage provider that can enforce it does (the PostgreSQL provider passes it to
/// row-level security, which then hides every other owner's keys and records); one that cannot (SQLite) relies on the
/// engine's own checks, which hold either way.
/// </summary>
/// <remarks>
/// A scope only narrows: entering one inside another keeps the owners both allow, and there is no way to widen the
/// current one but to leave it. Outside any scope (<see cref="Current"/> is <c>null</c>) reads see the whole tenant,
/// as they must for the engine's shared caches, which read a key once for every caller and decide per call.
/// </remarks>
public static class OwnerScope
{
    /// <summary>The longest owner, in UTF-16 characters (the width of the stored owner column).</summary>
    public const int MaxOwnerLength = 200;

    private static readonly AsyncLocal<string[]?> s_current = new();

    /// <summary>The owners the current flow's reads are limited to; <c>null</c> when they may see the whole tenant.</summary>
    public static IReadOnlyList<string>? Current => s_current.Value;

    /// <summary>Limits the current flow's reads to <paramref name="owners"/> (intersected with any scope already entered) until the result is disposed.</summary>
    /// <param name="owners">The owners, at least one; each non-empty, up to <see cref="MaxOwnerLength"/> characters, without control characters.</param>
    /// <returns>The scope; dispose it in the same async flow to restore the previous one.</returns>
    /// <exception cref="ArgumentException"><paramref name="owners"/> is empty or holds an owner that is not well formed.</exception>
    public static IDisposable Enter(IEnumerable<string> owners) => Narrow(Checked(owners, nameof(owners)));

    /// <summary>Enters <paramref name="owners"/> when there are some; nothing when <c>null</c> (the tenant).</summary>
    internal static IDisposable EnterIfAny(IReadOnlyList<string>? owners)
        => owners is null ? NoScope.Instance : Narrow(owners as string[] ?? [.. owners]);

    internal static string[] Checked(IEnumerable<string> owners, string paramName)
    {
        ArgumentNullException.ThrowIfNull(owners, paramName);
        var list = owners.Distinct(StringComparer.Ordinal).ToArray();
        if (list.Length == 0)
        {
            throw new ArgumentException("An owner scope names at least one owner; to read the whole tenant, enter no scope.", paramName);
        }

        foreach (var owner in list)
        {
            ArgumentNullException.ThrowIfNull(owner, paramName);
            CallerText.Check(owner, MaxOwnerLength, "An owner", paramName);
        }

        return list;
    }

    private static Restorer Narrow(string[] owners)
    {
        var previous = s_current.Value;
        s_current.Value = previous is null ? owners : [.. owners.Where(o => Array.IndexOf(previous, o) >= 0)];
        return new Restorer(previous);
    }

    // Restores the scope that was current before Enter; a second Dispose does nothing.
    private sealed class Restorer(string[]? previous) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                s_current.Value = previous;
            }
        }
    }

    private sealed class NoScope : IDisposable
    {
        public static readonly NoScope Instance = new();

        public void Dispose()
        {
        }
    }
}
