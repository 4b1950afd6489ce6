namespace KeyInfra.EntityFrameworkCore.Entities;

/// <summary>A row of <c>application_credentials</c>: an application's client id and the hash of its secret.</summary>
internal sealed class ApplicationCredentialEntity
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public Guid ApplicationId { get; set; }

    public string ClientId { get; set; } = "";

    /// <summary>The secret's <c>pbkdf2_sha256</c> hash; never the secret.</summary>
    public string SecretHash { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public long Version { get; set; }

    public byte[]? RowMac { get; set; }

    public string? RowMacMasterKeyId { get; set; }
}
