using KeyInfra.Signing;

namespace KeyInfra.Keys;

/// <summary>Asks the registry to generate a new key pair in software.</summary>
/// <param name="Spec">The key type.</param>
/// <param name="Name">A human-readable name (1–200 characters).</param>
public sealed record CreateKeyRequest(KeySpec Spec, string Name)
{
    /// <summary>When the key stops verifying (UTC); <c>null</c> for never.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Puts the key in this ring as its next version (rotation); <c>null</c> for a key of its own.</summary>
    public string? RingName { get; init; }

    /// <summary>Who owns the key, free text (up to 200 characters).</summary>
    public string? Owner { get; init; }

    /// <summary>Free-form metadata (at most 64 entries; keys up to 100, values up to 1,000 characters).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>The ECDSA signature encoding this key uses by default.</summary>
    public SignatureEncoding SignatureEncoding { get; init; } = SignatureEncoding.P1363;

    /// <summary>The RSA padding this key uses by default.</summary>
    public RsaPadding RsaPadding { get; init; } = RsaPadding.Pss;

    /// <summary>
    /// The RSA-PSS salt length in bytes this key uses by default; <c>null</c> for the hash length (RFC 8017's
    /// recommendation and the platform's). MGF1 uses the message hash. It must fit the key with its default hash
    /// (at most modulus bytes − hash bytes − 2); ignored by other algorithms.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative length.</exception>
    public int? PssSaltLength
    {
        get;
        init => field = value is < 0 ? throw new ArgumentOutOfRangeException(nameof(PssSaltLength), value, "A PSS salt length is 0 or more bytes.") : value;
    }
}
