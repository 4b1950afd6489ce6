using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace KeyInfra.Identity;

/// <summary>
/// Counts credential and password checks that did not succeed, in a row, per tenant and name (a client id or a user
/// name, whether it exists or not), and refuses further checks of a name for
/// <see cref="Authorization.AccessControlOptions.CredentialLockoutSeconds"/> once
/// <see cref="Authorization.AccessControlOptions.MaxCredentialFailures"/> of them were made. In-process: each instance
/// counts its own (a shared counter is the Redis package's to add).
/// </summary>
/// <remarks>
/// An attempt is counted when it begins, before the hash is computed, so parallel guesses cannot outrun the limit; a
/// success forgets the name. Thread-safe. Bounded: past <see cref="MaxEntries"/> names, counters that lock nothing are
/// dropped; a live lockout never is.
/// </remarks>
internal sealed class CredentialThrottle(TimeProvider time, IOptions<KeyInfraOptions> options)
{
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<(Guid TenantId, string Kind, string Name), Entry> _entries = new();

    /// <summary>
    /// Begins an attempt: <c>false</c> if the name is locked out (the check must not be made); otherwise counts it, and
    /// says in <paramref name="lockedUntil"/> when this attempt is the one that locks the name should it fail.
    /// </summary>
    public bool TryBegin(Guid tenantId, string kind, string name, out DateTimeOffset? lockedUntil, out int attempts)
    {
        var settings = options.Value.AccessControl;
        var now = time.GetUtcNow();
        if (_entries.Count >= MaxEntries)
        {
            Trim(now, settings.MaxCredentialFailures);
        }

        var refused = false;
        var entry = _entries.AddOrUpdate(
            (tenantId, kind, name),
            static (_, state) => Next(new Entry(0, null), state.now, state.max, state.lockout),
            (_, old, state) =>
            {
                if (old.LockedUntil is { } until && until > state.now)
                {
                    refused = true;
                    return old;
                }

                return Next(old.LockedUntil is null ? old : new Entry(0, null), state.now, state.max, state.lockout);
            },
            (now, max: settings.MaxCredentialFailures, lockout: TimeSpan.FromSeconds(settings.CredentialLockoutSeconds)));
        attempts = entry.Attempts;
        lockedUntil = refused ? null : entry.LockedUntil;
        return !refused;
    }

    /// <summary>Forgets a name whose check just succeeded.</summary>
    public void Succeed(Guid tenantId, string kind, string name) => _entries.TryRemove((tenantId, kind, name), out _);

    private static Entry Next(Entry entry, DateTimeOffset now, int max, TimeSpan lockout)
    {
        var attempts = entry.Attempts + 1;
        return new Entry(attempts, attempts >= max ? now + lockout : null);
    }

    private void Trim(DateTimeOffset now, int max)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.LockedUntil is not { } until || until <= now || entry.Attempts < max)
            {
                _entries.TryRemove(key, out _);
            }
        }
    }

    private sealed record Entry(int Attempts, DateTimeOffset? LockedUntil);
}
