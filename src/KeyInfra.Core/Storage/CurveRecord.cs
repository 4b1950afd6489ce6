using KeyInfra.Keys;

namespace KeyInfra.Storage;

/// <summary>
/// A row of <c>curves</c> as the curve policy reads and writes it: the curve, its status, and the MAC that authenticates
/// the status (docs/security/rows.md). The migration's row (enabled, version 0, no MAC) is the curve as shipped.
/// </summary>
/// <remarks>Immutable.</remarks>
public sealed record CurveRecord
{
    /// <summary>The curve.</summary>
    public required KeyCurve Curve { get; init; }

    /// <summary>Its status.</summary>
    public required CurveStatus Status { get; init; }

    /// <summary>Raised by one at every change (compare-and-set); 0 for the row as the migration made it.</summary>
    public required long Version { get; init; }

    /// <summary>The HMAC-SHA256 over the curve, status and version; <c>null</c> only on the migration's row.</summary>
    public byte[]? RowMac { get; init; }

    /// <summary>The master key whose subkey made <see cref="RowMac"/>.</summary>
    public string? RowMacMasterKeyId { get; init; }
}
