using KeyInfra.Identity;

namespace KeyInfra.Storage;

/// <summary>A user as stored in <c>users</c>.</summary>
/// <remarks>
/// <para>Security: the row carries a MAC under the master key's identity subkey over every field that decides access
/// (tenant, id, username, email, password hash, status, application, version, creation time); a row whose MAC fails
/// is never used. <see cref="LastLoginAt"/> and <see cref="UpdatedAt"/> are informational and not covered.</para>
/// <para><see cref="ToString"/> never prints the password hash.</para>
/// </remarks>
public sealed record UserRecord
{
    /// <summary>The user's id (UUIDv7); a user caller's <see cref="Authorization.Caller.Id"/> is its text form.</summary>
    public required Guid Id { get; init; }

    /// <summary>The owning tenant.</summary>
    public required Guid TenantId { get; init; }

    /// <summary>The user name, unique in the tenant (ordinal); 1–200 characters.</summary>
    public required string Username { get; init; }

    /// <summary>The e-mail address, unique in the tenant when set; at most 320 characters.</summary>
    public string? Email { get; init; }

    /// <summary>The password's <c>pbkdf2_sha256:…</c> hash, or <c>null</c> when the user signs in elsewhere (the host authenticates).</summary>
    public string? PasswordHash { get; init; }

    /// <summary>Whether the user may act.</summary>
    public required UserStatus Status { get; init; }

    /// <summary>The application the user belongs to, whose keys the user may use too; <c>null</c> for none.</summary>
    public Guid? ApplicationId { get; init; }

    /// <summary>When the user was added (UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the row last changed (UTC).</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When the user's password last checked out (UTC); <c>null</c> if never.</summary>
    public DateTimeOffset? LastLoginAt { get; init; }

    /// <summary>The row version: 1 when added, one more on every change (the compare-and-set of updates).</summary>
    public required long Version { get; init; }

    /// <summary>The row's MAC (32 bytes); <c>null</c> only without a master key source.</summary>
    public byte[]? RowMac { get; init; }

    /// <summary>The master key whose identity subkey made <see cref="RowMac"/>.</summary>
    public string? RowMacMasterKeyId { get; init; }

    /// <summary>Names the user; never prints the password hash or the MAC.</summary>
    public override string ToString() => $"UserRecord({Id}, tenant {TenantId}, '{Username}', {Status}, version {Version})";
}
