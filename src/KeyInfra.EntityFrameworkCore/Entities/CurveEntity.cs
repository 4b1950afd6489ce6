using KeyInfra.Keys;

namespace KeyInfra.EntityFrameworkCore.Entities;

/// <summary>A row of <c>curves</c>: reference data, seeded by migration.</summary>
internal sealed class CurveEntity
{
    public KeyCurve Id { get; set; }

    public string Name { get; set; } = "";

    public KeyAlgorithm AlgorithmId { get; set; }
}
