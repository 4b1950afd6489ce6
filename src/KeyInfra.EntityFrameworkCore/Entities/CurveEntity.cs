using KeyInfra.Keys;

namespace KeyInfra.EntityFrameworkCore.Entities;

/// <summary>A row of <c>curves</c>: reference data, seeded by migration, with the curve's authenticated status.</summary>
internal sealed class CurveEntity
{
    public KeyCurve Id { get; set; }

    public string Name { get; set; } = "";

    public KeyAlgorithm AlgorithmId { get; set; }

    /// <summary><c>enabled</c> or <c>disabled</c>, as stored (the MAC decides whether it is believed).</summary>
    public string Status { get; set; } = "enabled";

    public long Version { get; set; }

    public byte[]? RowMac { get; set; }

    public string? RowMacMasterKeyId { get; set; }
}
