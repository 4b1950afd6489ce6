namespace KeyInfra.Storage;

/// <summary>A client id and the hash of its secret, as stored in <c>application_credentials</c>.</summary>
/// <remarks>
/// <para>Security: the secret itself is never stored, only its <c>pbkdf2_sha256:…</c> hash. The row carries a MAC over
/// tenant, id, application, client id, secret hash, expiry, revocation, version and creation time, so a database writer
/// cannot plant a hash of their own, lift a revocation or extend an expiry; <see cref="LastUsedAt"/> is not covered.</para>
/// <para><see cref="ToString"/> never prints the hash.</para>
/// </remarks>
public sealed record ApplicationCredentialRecord
{
    /// <summary>The credential's id (UUIDv7).</summary>
    public required Guid Id { get; init; }

    /// <summary>The owning tenant.</summary>
    public required Guid TenantId { get; init; }

    /// <summary>The application the credential signs in as.</summary>
    public required Guid ApplicationId { get; init; }

    /// <summary>The client id, unique in the tenant; public, like a user name.</summary>
    public required string ClientId { get; init; }

    /// <summary>The secret's hash.</summary>
    public required string SecretHash { get; init; }

    /// <summary>When the credential was made (UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it stops working (UTC); <c>null</c> for never.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>When it last checked out (UTC); <c>null</c> if never.</summary>
    public DateTimeOffset? LastUsedAt { get; init; }

    /// <summary>When it was revoked (UTC); <c>null</c> while live. Revocation is one-way.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>The row version: 1 when added, one more on every change.</summary>
    public required long Version { get; init; }

    /// <summary>The row's MAC; <c>null</c> only without a master key source.</summary>
    public byte[]? RowMac { get; init; }

    /// <summary>The master key whose identity subkey made <see cref="RowMac"/>.</summary>
    public string? RowMacMasterKeyId { get; init; }

    /// <summary>Names the credential; never prints the hash or the MAC.</summary>
    public override string ToString() => $"ApplicationCredentialRecord({Id}, client '{ClientId}', application {ApplicationId}, version {Version}{(RevokedAt is null ? "" : ", revoked")})";
}
