namespace KeyInfra.Authorization;

/// <summary>The answer of <see cref="IKeyInfraAuthorizer"/>: allowed (over the tenant, or over some owners' rows only), or denied with an optional reason.</summary>
/// <remarks>
/// The default value (<c>default(AuthorizationDecision)</c>) is a denial, so an authorizer that forgets to decide
/// fails closed.
/// </remarks>
public readonly struct AuthorizationDecision
{
    /// <summary>The longest <see cref="Reason"/>, in UTF-16 characters.</summary>
    public const int MaxReasonLength = 200;

    private AuthorizationDecision(bool isAllowed, string? reason, IReadOnlyList<string>? owners = null)
    {
        IsAllowed = isAllowed;
        Reason = reason;
        Owners = owners;
    }

    /// <summary>Allows the operation.</summary>
    public static AuthorizationDecision Allow { get; } = new(isAllowed: true, reason: null);

    /// <summary>
    /// When allowed, the <see cref="Keys.KeyInfo.Owner"/> values whose rows the operation's reads may return; <c>null</c>
    /// for the whole tenant. The engine keeps it whatever the provider: a key list, a search by public key and a log query
    /// return only those owners' keys and records (a record is theirs if they made it or it was made with their key), a
    /// batch only theirs, an operation on one key holds only for their key, and any other operation is denied. Around
    /// the reads of a list or log query it also enters them as an <see cref="Storage.OwnerScope"/>, which PostgreSQL's
    /// row-level security enforces too.
    /// </summary>
    public IReadOnlyList<string>? Owners { get; }

    /// <summary>Whether the operation may go ahead.</summary>
    public bool IsAllowed { get; }

    /// <summary>
    /// Why it was denied, such as "missing permission keys:sign"; logged and recorded as the verification's
    /// <see cref="Verification.VerificationRecord.Detail"/>, never put in an exception message. <c>null</c> when allowed.
    /// </summary>
    public string? Reason { get; }

    /// <summary>Allows the operation over the rows of <paramref name="owners"/> only (see <see cref="Owners"/>).</summary>
    /// <param name="owners">The owners, at least one; each non-empty, up to <see cref="Storage.OwnerScope.MaxOwnerLength"/> characters, without control characters.</param>
    /// <exception cref="ArgumentException"><paramref name="owners"/> is empty or holds an owner that is empty, too long, or has control characters.</exception>
    public static AuthorizationDecision AllowOwners(IEnumerable<string> owners)
        => new(isAllowed: true, reason: null, Array.AsReadOnly(Storage.OwnerScope.Checked(owners, nameof(owners))));

    /// <summary>As <see cref="AllowOwners"/>, for owners already checked (the built-in authorizer's, read from authenticated rows).</summary>
    internal static AuthorizationDecision AllowCheckedOwners(IReadOnlyList<string> owners) => new(isAllowed: true, reason: null, owners);

    /// <summary>Denies the operation.</summary>
    /// <param name="reason">Why, for the log and the audit trail; never a secret. Up to <see cref="MaxReasonLength"/> characters, without control characters.</param>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is empty, too long, or holds control characters or unpaired surrogates.</exception>
    public static AuthorizationDecision Deny(string? reason = null)
    {
        CallerText.Check(reason, MaxReasonLength, "A denial reason", nameof(reason));
        return new AuthorizationDecision(isAllowed: false, reason);
    }
}
