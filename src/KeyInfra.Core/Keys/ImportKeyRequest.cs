using KeyInfra.Signing;

namespace KeyInfra.Keys;

/// <summary>Asks the registry to record an existing public key, for verification only.</summary>
/// <param name="Name">A human-readable name (1–200 characters).</param>
/// <param name="KeyData">The encoded key: PEM text as UTF-8 bytes, DER, or raw bytes.</param>
/// <param name="Format">How <paramref name="KeyData"/> is encoded.</param>
public sealed record ImportKeyRequest(string Name, ReadOnlyMemory<byte> KeyData, KeyFormat Format)
{
    /// <summary>
    /// The key type the caller expects. Required for <see cref="KeyFormat.Raw"/> (a raw point does not
    /// name its curve); for PEM and DER the encoded key must match it, or the import fails.
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

    /// <summary>Creates a request from PEM text.</summary>
    public static ImportKeyRequest FromPem(string name, string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        return new ImportKeyRequest(name, System.Text.Encoding.UTF8.GetBytes(pem), KeyFormat.Pem);
    }
}
