using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace KeyInfra.Verification.Chain;

/// <summary>
/// The newest group of one chain (a writer's chain id and a tenant): what a host copies out of the database's reach,
/// so that <c>log verify</c> can tell when the newest groups were cut off.
/// </summary>
/// <remarks>
/// <para>The text form (<see cref="ToString"/>, <see cref="Parse"/>) is
/// <c>kih1:&lt;chain id&gt;:&lt;tenant id&gt;:&lt;sequence&gt;:&lt;digest, 64 lowercase hex digits&gt;</c>. It holds no
/// secret: publishing it (in logs, a ticket, another system) is the point.</para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
public sealed record LogChainHead
{
    private const string Prefix = "kih1:";

    /// <summary>Creates a head.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sequence"/> is below 1, or the digest is not 32 bytes.</exception>
    public LogChainHead(Guid chainId, Guid tenantId, long sequence, ReadOnlySpan<byte> digest)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        if (digest.Length != LogChainFormat.DigestSize)
        {
            throw new ArgumentOutOfRangeException(nameof(digest), $"A chain head's digest is {LogChainFormat.DigestSize} bytes; {digest.Length} were given.");
        }

        ChainId = chainId;
        TenantId = tenantId;
        Sequence = sequence;
        DigestHex = Convert.ToHexStringLower(digest);
    }

    /// <summary>The writer's chain id.</summary>
    public Guid ChainId { get; }

    /// <summary>The tenant of the chain.</summary>
    public Guid TenantId { get; }

    /// <summary>The newest group's sequence number.</summary>
    public long Sequence { get; }

    /// <summary>The newest group's digest, lowercase hex.</summary>
    public string DigestHex { get; }

    /// <summary>Reads the text form.</summary>
    /// <exception cref="FormatException">The text is not a chain head.</exception>
    public static LogChainHead Parse(string text)
        => TryParse(text, out var head) ? head : throw new FormatException("A chain head is written kih1:<chain id>:<tenant id>:<sequence>:<64 hex digits>, as KeyInfra logs and returns it.");

    /// <summary>Reads the text form; <c>false</c> when it is not a chain head.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out LogChainHead? head)
    {
        head = null;
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = text[Prefix.Length..].Split(':');
        if (parts.Length != 4
            || !Guid.TryParseExact(parts[0], "D", out var chainId)
            || !Guid.TryParseExact(parts[1], "D", out var tenantId)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) || sequence < 1
            || parts[3].Length != LogChainFormat.DigestSize * 2)
        {
            return false;
        }

        Span<byte> digest = stackalloc byte[LogChainFormat.DigestSize];
        if (Convert.FromHexString(parts[3], digest, out _, out var written) != System.Buffers.OperationStatus.Done || written != digest.Length)
        {
            return false;
        }

        head = new LogChainHead(chainId, tenantId, sequence, digest);
        return true;
    }

    /// <summary>Whether <paramref name="digest"/> is this head's digest (compared in constant time).</summary>
    public bool HasDigest(ReadOnlySpan<byte> digest)
    {
        Span<byte> own = stackalloc byte[LogChainFormat.DigestSize];
        Convert.FromHexString(DigestHex, own, out _, out _);
        return System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(own, digest);
    }

    /// <summary>The text form, <c>kih1:…</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Prefix}{ChainId:D}:{TenantId:D}:{Sequence}:{DigestHex}");
}
