using KeyInfra.Cryptography;
using KeyInfra.Keys;

namespace KeyInfra.Caching;

/// <summary>A key as the hot path needs it: its registry entry and the imported public key object.</summary>
internal sealed class ResolvedKey(KeyInfo info, VerificationKey verificationKey)
{
    public KeyInfo Info { get; } = info;

    public VerificationKey VerificationKey { get; } = verificationKey;
}
