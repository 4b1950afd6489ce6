using System.Security.Cryptography;

namespace KeyInfra.Cryptography;

/// <summary>The hash algorithms KeyInfra signs with (SHA-256, SHA-384, SHA-512) and allocation-free hashing into a caller's buffer.</summary>
internal static class SignatureHash
{
    /// <summary>The largest hash, for stackalloc buffers.</summary>
    public const int MaxHashBytes = 64;

    /// <summary>The supported hashes, shortest first.</summary>
    public static readonly HashAlgorithmName[] Supported = [HashAlgorithmName.SHA256, HashAlgorithmName.SHA384, HashAlgorithmName.SHA512];

    /// <summary>The hash size in bytes, or 0 for a hash KeyInfra does not sign with (SHA-1, MD5, unknown).</summary>
    public static int GetSize(HashAlgorithmName hash)
    {
        if (hash == HashAlgorithmName.SHA256)
        {
            return 32;
        }

        if (hash == HashAlgorithmName.SHA384)
        {
            return 48;
        }

        return hash == HashAlgorithmName.SHA512 ? 64 : 0;
    }

    /// <summary>Hashes <paramref name="data"/> into <paramref name="destination"/> and returns the hash length.</summary>
    /// <remarks>The static HashData APIs take no lock and allocate nothing, so this is safe on any thread.</remarks>
    public static int Hash(HashAlgorithmName hash, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (hash == HashAlgorithmName.SHA256)
        {
            return SHA256.HashData(data, destination);
        }

        if (hash == HashAlgorithmName.SHA384)
        {
            return SHA384.HashData(data, destination);
        }

        if (hash == HashAlgorithmName.SHA512)
        {
            return SHA512.HashData(data, destination);
        }

        throw new ArgumentException($"KI3001: The hash algorithm '{hash.Name}' is not supported; use SHA256, SHA384 or SHA512.", nameof(hash));
    }
}
