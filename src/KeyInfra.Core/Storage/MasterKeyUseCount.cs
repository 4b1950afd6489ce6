namespace KeyInfra.Storage;

/// <summary>How many stored things of one kind a master key made, across every tenant.</summary>
/// <param name="MasterKeyId">The master key's id, as stored.</param>
/// <param name="Kind">What those things are.</param>
/// <param name="Count">How many there are (at least 1: kinds a key made nothing of are left out).</param>
public sealed record MasterKeyUseCount(string MasterKeyId, MasterKeyUseKind Kind, long Count);
