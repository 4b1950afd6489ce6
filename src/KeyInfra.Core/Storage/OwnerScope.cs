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
/// Only the engine enters a scope, and only around the one repository call it limits, never around a shared load (the
/// key caches read a key once for every caller and decide per call, so they read the whole tenant: outside any scope
/// <see cref="Current"/> is <c>null</c>). A scope only narrows: entering one inside another keeps the owners both
/// allow. The engine also keeps the scope itself, so a provider that cannot enforce it loses nothing.
/// </remarks>
public static class OwnerScope
{
    /// <summary>The longest owner, in UTF-16 characters (the width of the stored owner column).</summary>
    public const int MaxOwnerLength = 200;

    private static readonly AsyncLocal<System.Collections.ObjectModel.ReadOnlyCollection<string>?> s_current = new();

    /// <summary>The owners the current flow's reads are limited to; <c>null</c> when they may see the whole tenant.</summary>
    public static IReadOnlyList<string>? Current => s_current.Value;

    /// <summary>
    /// Limits the current flow's reads to <paramref name="owners"/> (intersected with any scope already entered) until the
    /// result is disposed, in the same async flow; nothing when <c>null</c> (the tenant).
    /// </summary>
    internal static IDisposable EnterIfAny(IReadOnlyList<string>? owners)
        => owners is null ? NoScope.Instance : Narrow([.. owners]);

    /// <summary>Whether <paramref name="owner"/> is one of <paramref name="owners"/> (ordinal; <c>null</c> is no one's).</summary>
    internal static bool Includes(IReadOnlyList<string> owners, string? owner)
    {
        if (owner is null)
        {
            return false;
        }

        for (var i = 0; i < owners.Count; i++)
        {
            if (string.Equals(owners[i], owner, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

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
        s_current.Value = Array.AsReadOnly(previous is null ? owners : [.. owners.Where(o => Includes(previous, o))]);
        return new Restorer(previous);
    }

    // Restores the scope that was current before Enter; a second Dispose does nothing.
    private sealed class Restorer(System.Collections.ObjectModel.ReadOnlyCollection<string>? previous) : IDisposable
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
