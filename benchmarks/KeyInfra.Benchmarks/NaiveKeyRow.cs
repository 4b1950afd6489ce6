namespace KeyInfra.Benchmarks;

/// <summary>The columns of <c>public_keys</c> the naive way reads.</summary>
public sealed class NaiveKeyRow
{
    /// <summary>The key id.</summary>
    public Guid Id { get; set; }

    /// <summary>The stored public key (here PEM text).</summary>
    public byte[] KeyData { get; set; } = [];

    /// <summary>How <see cref="KeyData"/> is encoded.</summary>
    public string KeyFormat { get; set; } = "";

    /// <summary>active, revoked or expired.</summary>
    public string Status { get; set; } = "";
}
