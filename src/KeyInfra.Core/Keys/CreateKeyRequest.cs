using KeyInfra.Signing;

namespace KeyInfra.Keys;

/// <summary>Asks the registry to generate a new key pair, by default in software (see <see cref="Backend"/>).</summary>
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
    /// The private-key backend that generates and holds the key (<see cref="PrivateKeys.IPrivateKeyBackend.Name"/>):
    /// <see cref="PrivateKeys.PrivateKeyBackendNames.Software"/> (the default) keeps it encrypted under the master key;
    /// packages add others, such as <c>pkcs11</c>. A name no registered backend has fails with KI4004.
    /// The key's ring versions created by rotation stay with the same backend.
    /// </summary>
    public string Backend { get; init; } = PrivateKeys.PrivateKeyBackendNames.Software;

    /// <summary>
    /// Options for <see cref="Backend"/>, such as the HSM slot to generate in; their names and values are the backend's
    /// (see its package's docs), and it refuses names it does not know. The software backend takes none.
    /// At most 32 entries; names up to 100, values up to 1,000 characters. KeyInfra does not store them: what the
    /// backend needs later it records in the key's private-key record. Put no secrets here.
    /// </summary>
    public IReadOnlyDictionary<string, string>? BackendOptions { get; init; }
}
