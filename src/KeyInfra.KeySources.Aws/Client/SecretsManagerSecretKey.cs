using KeyInfra.Encryption;

namespace KeyInfra.KeySources.Aws.Client;

/// <summary>One version of the secret, read as a master key. The caller owns <see cref="Key"/>.</summary>
internal sealed record SecretsManagerSecretKey(string VersionId, MasterKey Key);
