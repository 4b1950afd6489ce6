using KeyInfra.Signing;

namespace KeyInfra.Keys;

/// <summary>Asks the registry to record an existing public key, for verification only.</summary>
/// <param name="Name">A human-readable name (1–200 characters).</param>
/// <param name="KeyData">The encoded key: PEM text as UTF-8 bytes, DER, or raw bytes.</param>
/// <param name="Format">How <paramref name="KeyData"/> is encoded.</param>
public sealed record ImportKeyRequest(string Name, ReadOnlyMemory<byte> KeyData, KeyFormat Format)
{
    /// <summary>
    /// The key type the caller expects. Required for a <see cref="KeyFormat.Raw"/> EC point (a raw point does not
    /// name its curve); a raw key of 32 bytes is an Ed25519 key and needs none. When given, the encoded key must
    /// match it, or the import fails.
    /// </summary>
    public KeySpec? ExpectedSpec { get; init; }

    /// <summary>When the key stops verifying (UTC); <c>null</c> for never.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Puts the key in this ring as its next version.</summary>
    public string? RingName { get; init; }

    /// <summary>Who owns the key, free text.</summary>
    public string? Owner { get; init; }

    /// <summary>Free-form metadata.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>The ECDSA signature encoding this key uses by default.</summary>
    public SignatureEncoding SignatureEncoding { get; init; } = SignatureEncoding.P1363;

    /// <summary>The RSA padding this key uses by default.</summary>
    public RsaPadding RsaPadding { get; init; } = RsaPadding.Pss;

    /// <summary>
    /// Whether the key accepts only low-S ECDSA signatures (s ≤ n/2, as Bitcoin requires since BIP 62/146): of the two
    /// valid forms (r, s) and (r, n − s) of every ECDSA signature, only the low one verifies, and KeyInfra's own
    /// signatures with the key are made low. Default <c>false</c>, as in the ECDSA standards. ECDSA keys only: another
    /// algorithm with this set is refused. A ring's rotated versions keep it.
    /// </summary>
    public bool RequireLowS { get; init; }

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

    /// <summary>
    /// When this tenant already has a key with the same public key (the same SPKI), return that key (the oldest, whatever
    /// its status) instead of adding a duplicate; the request's name, ring, expiry and defaults are then not applied.
    /// Default <c>false</c>: every import adds a key.
    /// </summary>
    /// <remarks>Not atomic across writers: two imports of the same key at the same moment may both add one.</remarks>
    public bool ReturnExisting { get; init; }

    /// <summary>Creates a request from PEM text.</summary>
    public static ImportKeyRequest FromPem(string name, string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        return new ImportKeyRequest(name, System.Text.Encoding.UTF8.GetBytes(pem), KeyFormat.Pem);
    }
}
