namespace KeyInfra.Storage;

/// <summary>A master key's id and check value, stored so a wrong master key is caught at start.</summary>
/// <param name="KeyId">The master key id.</param>
/// <param name="CheckValue">The key check value (<see cref="Encryption.MasterKey.ComputeCheckValue"/>).</param>
/// <param name="CreatedAt">When the key was first seen (UTC).</param>
public sealed record MasterKeyCheck(string KeyId, byte[] CheckValue, DateTimeOffset CreatedAt);
