namespace KeyInfra.Benchmarks;

/// <summary>The row of <c>verification_records</c> the naive way inserts.</summary>
public sealed class NaiveRecordRow
{
    /// <summary>The record id.</summary>
    public Guid Id { get; set; }

    /// <summary>The tenant.</summary>
    public Guid TenantId { get; set; }

    /// <summary>The key, when it exists.</summary>
    public Guid? KeyId { get; set; }

    /// <summary>The key id asked for.</summary>
    public Guid RequestedKeyId { get; set; }

    /// <summary>The key's algorithm name.</summary>
    public string? Algorithm { get; set; }

    /// <summary>The outcome, as KeyInfra stores it.</summary>
    public string Result { get; set; } = "";

    /// <summary>SHA-256 of the document.</summary>
    public byte[] DocumentSha256 { get; set; } = [];

    /// <summary>SHA-256 of the signature.</summary>
    public byte[] SignatureSha256 { get; set; } = [];

    /// <summary>When (UTC).</summary>
    public DateTime VerifiedAt { get; set; }
}
