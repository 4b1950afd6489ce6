using KeyInfra.Encryption;

namespace KeyInfra.KeySources.Vault.Client;

/// <summary>One version of the secret, read as a master key. The caller owns <see cref="Key"/>.</summary>
internal sealed record VaultSecretKey(int Version, MasterKey Key);
