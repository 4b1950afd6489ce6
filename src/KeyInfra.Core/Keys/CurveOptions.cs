namespace KeyInfra.Keys;

/// <summary>Curves disabled by configuration (<c>KeyInfra:Curves</c>).</summary>
public sealed class CurveOptions
{
    /// <summary>
    /// Curves that are disabled whatever the database says, by name (<c>p-256</c>, <c>p-384</c>, <c>p-521</c>,
    /// <c>secp256k1</c>, <c>ed25519</c>). Configuration is out of a database writer's reach, so a curve listed here stays
    /// disabled even against one who restores an older copy of the <c>curves</c> table. Default: none.
    /// </summary>
    public IList<string> Disabled { get; } = [];
}
