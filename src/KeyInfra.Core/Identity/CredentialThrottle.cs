using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace KeyInfra.Identity;

/// <summary>
/// Counts failed credential and password checks in a row per tenant and name (a client id or a user name, whether it
/// exists or not) and refuses further checks of a name for <see cref="Authorization.AccessControlOptions.CredentialLockoutSeconds"/>
/// after <see cref="Authorization.AccessControlOptions.MaxCredentialFailures"/> of them. In-process: each instance
/// counts its own (a shared counter is the Redis package's to add).
/// </summary>
/// <remarks>Thread-safe. Bounded: past <see cref="MaxEntries"/> names the oldest counters are dropped.</remarks>
internal sealed class CredentialThrottle(TimeProvider time, IOptions<KeyInfraOptions> options)
{
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<(Guid TenantId, string Kind, string Name), Entry> _entries = new();

    /// <summary>Whether <paramref name="name"/> is locked out now; if so, until when.</summary>
    public bool IsLockedOut(Guid tenantId, string kind, string name, out DateTimeOffset until)
    {
        until = default;
        if (_entries.TryGetValue((tenantId, kind, name), out var entry) && entry.LockedUntil is { } locked && locked > time.GetUtcNow())
        {
            until = locked;
            return true;
        }

        return false;
    }

    /// <summary>Counts a failure; returns the time the name is locked out until when this failure locks it, else <c>null</c>.</summary>
    public DateTimeOffset? Fail(Guid tenantId, string kind, string name, out int failures)
    {
        var settings = options.Value.AccessControl;
        var now = time.GetUtcNow();
        if (_entries.Count >= MaxEntries)
        {
            Trim(now);
        }

        var entry = _entries.AddOrUpdate(
            (tenantId, kind, name),
            static (_, now) => new Entry(1, null, now),
            static (_, old, now) => old.LockedUntil is { } until && until <= now ? new Entry(1, null, now) : old with { Failures = old.Failures + 1, LastFailure = now },
            now);
        failures = entry.Failures;
        if (entry.Failures >= settings.MaxCredentialFailures && entry.LockedUntil is null)
        {
            var until = now.AddSeconds(settings.CredentialLockoutSeconds);
            _entries[(tenantId, kind, name)] = entry with { LockedUntil = until };
            return until;
        }

        return null;
    }

    /// <summary>Forgets the failures of a name that just checked out.</summary>
    public void Succeed(Guid tenantId, string kind, string name) => _entries.TryRemove((tenantId, kind, name), out _);

    private void Trim(DateTimeOffset now)
    {
        var lockout = TimeSpan.FromSeconds(options.Value.AccessControl.CredentialLockoutSeconds);
        foreach (var (key, entry) in _entries)
        {
            if ((entry.LockedUntil is { } until && until <= now) || (entry.LockedUntil is null && now - entry.LastFailure > lockout))
            {
                _entries.TryRemove(key, out _);
            }
        }

        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }
    }

    private sealed record Entry(int Failures, DateTimeOffset? LockedUntil, DateTimeOffset LastFailure);
}
