using KeyInfra.Keys;

namespace KeyInfra.EntityFrameworkCore.Entities;

/// <summary>A row of <c>algorithms</c>: reference data, seeded by migration.</summary>
internal sealed class AlgorithmEntity
{
    public KeyAlgorithm Id { get; set; }

    public string Name { get; set; } = "";
}
