using KeyInfra.Keys;

namespace KeyInfra.Signing;

/// <summary>Asks for a signature over data, or over a hash the caller computed.</summary>
public sealed record SignRequest
{
    /// <summary>Signs <paramref name="data"/> with the key.</summary>
    public SignRequest(KeyId keyId, ReadOnlyMemory<byte> data)
    {
        KeyId = keyId;
        Data = data;
    }

    private SignRequest(KeyId keyId, ReadOnlyMemory<byte> hash, bool isHash)
    {
        KeyId = keyId;
        Hash = hash;
        _ = isHash;
    }

    /// <summary>Signs a precomputed hash (ECDSA and RSA only; Ed25519 signs messages, not hashes).</summary>
    public static SignRequest ForHash(KeyId keyId, ReadOnlyMemory<byte> hash) => new(keyId, hash, isHash: true);

    /// <summary>The signing key.</summary>
    public KeyId KeyId { get; }

    /// <summary>The message, when the request signs data.</summary>
    public ReadOnlyMemory<byte>? Data { get; }

    /// <summary>The hash, when the request signs a precomputed hash.</summary>
    public ReadOnlyMemory<byte>? Hash { get; }

    /// <summary>Overrides of the key's default hash, encoding and padding.</summary>
    public SignatureOptions? Options { get; init; }
}
