using System.Collections.Frozen;
using KeyInfra.Diagnostics;
using KeyInfra.Errors;
using KeyInfra.Identity;
using KeyInfra.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KeyInfra.Keys;

/// <summary>
/// Which curves may be used: configuration's list, then the <c>curves</c> rows, each believed only if its MAC holds (or
/// it is the migration's row, enabled at version 0 without a MAC); a row that fails, or is missing, disables its curve.
/// Read once per <c>KeyInfra:AccessControl:CacheSeconds</c> and at once after a local change; the verifier's hot path
/// reads the cached answer synchronously. Thread-safe.
/// </summary>
internal sealed class CurvePolicy(IdentityRows rows, IOptions<KeyInfraOptions> options, TimeProvider time, ILogger<CurvePolicy> logger)
{
    /// <summary>The curves and their names, as <c>curves.name</c> has them.</summary>
    public static FrozenDictionary<KeyCurve, string> Names { get; } = new Dictionary<KeyCurve, string>
    {
        [KeyCurve.P256] = "p-256",
        [KeyCurve.P384] = "p-384",
        [KeyCurve.P521] = "p-521",
        [KeyCurve.Secp256k1] = "secp256k1",
        [KeyCurve.Ed25519] = "ed25519",
    }.ToFrozenDictionary();

    private readonly TimeSpan _ttl = TimeSpan.FromSeconds(options.Value.AccessControl.CacheSeconds);
    private readonly FrozenSet<KeyCurve> _configured = Configured(options.Value.Curves);
    private Snapshot? _snapshot;

    /// <summary>Whether keys of <paramref name="curve"/> may be used (<see cref="KeyCurve.None"/>, RSA's, always).</summary>
    public ValueTask<bool> IsEnabledAsync(KeyCurve curve, CancellationToken cancellationToken)
    {
        if (curve == KeyCurve.None)
        {
            return ValueTask.FromResult(true);
        }

        var snapshot = Volatile.Read(ref _snapshot);
        return snapshot is not null && snapshot.ExpiresAt > time.GetUtcNow()
            ? ValueTask.FromResult(snapshot.Enabled.Contains(curve))
            : SlowAsync(curve, cancellationToken);

        async ValueTask<bool> SlowAsync(KeyCurve c, CancellationToken ct)
            => (await ReadAsync(ct).ConfigureAwait(false)).Single(i => i.Curve == c).Status == CurveStatus.Enabled;
    }

    /// <summary>Throws KI1108 when <paramref name="spec"/>'s curve is disabled.</summary>
    public async ValueTask DemandEnabledAsync(KeySpec spec, CancellationToken cancellationToken)
    {
        if (!await IsEnabledAsync(spec.Curve, cancellationToken).ConfigureAwait(false))
        {
            throw new KeyInfraException(ErrorCodes.CurveDisabled,
                $"The curve of {spec.Name} ({Names[spec.Curve]}) is disabled, so no key of it may be created, imported, rotated into or sign. An operator enables it with 'curves enable {Names[spec.Curve]}' unless configuration (KeyInfra:Curves:Disabled) lists it.");
        }
    }

    /// <summary>Every curve's status, read from the database now (and cached).</summary>
    public async Task<IReadOnlyList<CurveInfo>> ReadAsync(CancellationToken cancellationToken)
        => (await ReadWithRowsAsync(cancellationToken).ConfigureAwait(false)).Infos;

    /// <summary>As <see cref="ReadAsync"/>, with the stored rows the statuses were judged from (for a change to compare and set).</summary>
    public async Task<(IReadOnlyList<CurveInfo> Infos, IReadOnlyDictionary<KeyCurve, CurveRecord> Rows)> ReadWithRowsAsync(CancellationToken cancellationToken)
    {
        var stored = (await rows.Repository.ListCurvesAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(c => c.Curve);
        var infos = new List<CurveInfo>(Names.Count);
        foreach (var (curve, name) in Names.OrderBy(n => n.Key))
        {
            stored.TryGetValue(curve, out var row);
            var (status, disabledBy) = await JudgeAsync(curve, row, cancellationToken).ConfigureAwait(false);
            infos.Add(new CurveInfo(curve, name, status, disabledBy, row?.Status));
        }

        Volatile.Write(ref _snapshot, new Snapshot([.. infos.Where(i => i.Status == CurveStatus.Enabled).Select(i => i.Curve)], time.GetUtcNow() + _ttl));
        return (infos, stored);
    }

    /// <summary>The curve a name of <see cref="Names"/> names (case and surrounding spaces aside).</summary>
    public static bool TryParse(string? name, out KeyCurve curve)
    {
        foreach (var (candidate, text) in Names)
        {
            if (string.Equals(text, name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                curve = candidate;
                return true;
            }
        }

        curve = KeyCurve.None;
        return false;
    }

    /// <summary>Forgets the cached answer (after a local change).</summary>
    public void Invalidate() => Volatile.Write(ref _snapshot, null);

    /// <summary>Whether a row is the migration's: enabled, version 0, no MAC.</summary>
    public static bool IsAsShipped(CurveRecord row) => row.Version == 0 && row.Status == CurveStatus.Enabled && row.RowMac is null && row.RowMacMasterKeyId is null;

    private async ValueTask<(CurveStatus Status, string? DisabledBy)> JudgeAsync(KeyCurve curve, CurveRecord? row, CancellationToken cancellationToken)
    {
        if (_configured.Contains(curve))
        {
            return (CurveStatus.Disabled, "configuration");
        }

        if (row is null)
        {
            Log.CurveRowMissing(logger, Names[curve]);
            return (CurveStatus.Disabled, "the database row is missing");
        }

        if (IsAsShipped(row))
        {
            return (CurveStatus.Enabled, null);
        }

        if (!Enum.IsDefined(row.Status) || !await rows.IsAuthenticAsync(row, cancellationToken).ConfigureAwait(false))
        {
            return (CurveStatus.Disabled, "the database row failed authentication");
        }

        return row.Status == CurveStatus.Enabled ? (CurveStatus.Enabled, null) : (CurveStatus.Disabled, "database");
    }

    private static FrozenSet<KeyCurve> Configured(CurveOptions curves)
    {
        var set = new HashSet<KeyCurve>();
        foreach (var name in curves.Disabled)
        {
            if (!TryParse(name, out var curve))
            {
                throw new ArgumentException($"KeyInfra:Curves:Disabled names '{Authorization.CallerText.Printable(name)}', which is not a curve; the curves are {string.Join(", ", Names.Values)}.", nameof(curves));
            }

            set.Add(curve);
        }

        return set.ToFrozenSet();
    }

    private sealed record Snapshot(FrozenSet<KeyCurve> Enabled, DateTimeOffset ExpiresAt);
}
