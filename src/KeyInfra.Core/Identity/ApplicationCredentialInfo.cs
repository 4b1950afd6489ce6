namespace KeyInfra.Identity;

/// <summary>An application's credential as KeyInfra lists it: its client id and dates, never the secret or its hash.</summary>
/// <param name="Id">The credential's id.</param>
/// <param name="ApplicationId">The application it signs in as.</param>
/// <param name="ClientId">The client id (public).</param>
/// <param name="CreatedAt">When it was made (UTC).</param>
/// <param name="ExpiresAt">When it stops working (UTC), if it does.</param>
/// <param name="LastUsedAt">When it last checked out (UTC), if ever.</param>
/// <param name="RevokedAt">When it was revoked (UTC), if it was.</param>
public sealed record ApplicationCredentialInfo(
    Guid Id,
    Guid ApplicationId,
    string ClientId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt)
{
    /// <summary>Whether the credential works at <paramref name="now"/>: not revoked and not expired.</summary>
    /// <param name="now">The time to judge at.</param>
    public bool IsLiveAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is not { } expires || expires > now);
}
