using System.Buffers;
using System.Buffers.Text;
using KeyInfra.Cryptography;

namespace KeyInfra.Keys;

/// <summary>
/// What <see cref="IKeyStore.FindByPublicKeyAsync"/> looks for: a public key's SPKI SHA-256 fingerprint (SHA-256 of the
/// DER SubjectPublicKeyInfo) or its RFC 7638 JWK thumbprint (SHA-256, Base64url without padding).
/// </summary>
/// <remarks>Immutable and thread-safe. Holds only public values.</remarks>
public sealed class PublicKeyLookup
{
    /// <summary>The most keys one lookup returns.</summary>
    public const int MaxMatches = 100;

    private const int Sha256Bytes = 32;
    private const int ThumbprintChars = 43;
    private static readonly SearchValues<char> s_base64UrlChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private readonly byte[]? _spkiSha256;

    private PublicKeyLookup(byte[]? spkiSha256, string? jwkThumbprint)
    {
        _spkiSha256 = spkiSha256;
        JwkThumbprint = jwkThumbprint;
    }

    /// <summary>The SPKI SHA-256 fingerprint looked for (32 bytes), or <c>null</c> when the lookup is by JWK thumbprint.</summary>
    public ReadOnlyMemory<byte>? SpkiSha256 => _spkiSha256 is null ? (ReadOnlyMemory<byte>?)null : _spkiSha256;

    /// <summary>The RFC 7638 thumbprint looked for (43 characters), or <c>null</c> when the lookup is by SPKI fingerprint.</summary>
    public string? JwkThumbprint { get; }

    /// <summary>Looks for the key whose DER SubjectPublicKeyInfo has this SHA-256 (for example <c>openssl pkey -pubin -outform DER | sha256sum</c>).</summary>
    /// <exception cref="ArgumentException">Not 32 bytes.</exception>
    public static PublicKeyLookup BySpkiSha256(ReadOnlySpan<byte> spkiSha256)
    {
        if (spkiSha256.Length != Sha256Bytes)
        {
            throw new ArgumentException($"An SPKI SHA-256 fingerprint is {Sha256Bytes} bytes; got {spkiSha256.Length}.", nameof(spkiSha256));
        }

        return new PublicKeyLookup(spkiSha256.ToArray(), null);
    }

    /// <summary>Looks for the key with this RFC 7638 JWK thumbprint (SHA-256; the usual JOSE <c>kid</c> of a key).</summary>
    /// <exception cref="ArgumentException">Not 43 characters of canonical Base64url without padding.</exception>
    public static PublicKeyLookup ByJwkThumbprint(string thumbprint)
    {
        ArgumentNullException.ThrowIfNull(thumbprint);
        if (thumbprint.Length != ThumbprintChars || thumbprint.AsSpan().ContainsAnyExcept(s_base64UrlChars) || !IsCanonicalSha256(thumbprint))
        {
            throw new ArgumentException("An RFC 7638 SHA-256 thumbprint is 43 characters of Base64url without padding.", nameof(thumbprint));
        }

        return new PublicKeyLookup(null, thumbprint);
    }

    /// <summary>Looks for this public key, decoded as <see cref="IKeyStore.ImportAsync"/> would decode it, by its SPKI fingerprint.</summary>
    /// <exception cref="Errors.KeyFormatException">The key data is malformed or unsupported, as for an import.</exception>
    public static PublicKeyLookup ForPublicKey(ReadOnlySpan<byte> keyData, KeyFormat format, KeySpec? expectedSpec = null)
        => new(PublicKeyFingerprint.SpkiSha256(PublicKeyCodec.Decode(keyData, format, expectedSpec).Spki), null);

    // 43 characters carry 258 bits: the last character's two low bits must be zero for the text to be the one encoding of 32 bytes.
    private static bool IsCanonicalSha256(string thumbprint)
    {
        Span<byte> decoded = stackalloc byte[Sha256Bytes + 2];
        try
        {
            return Base64Url.TryDecodeFromChars(thumbprint, decoded, out var written)
                && written == Sha256Bytes
                && Base64Url.EncodeToString(decoded[..written]) == thumbprint;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public override string ToString()
        => _spkiSha256 is not null ? $"SPKI SHA-256 {Convert.ToHexStringLower(_spkiSha256)}" : $"JWK thumbprint {JwkThumbprint}";
}
