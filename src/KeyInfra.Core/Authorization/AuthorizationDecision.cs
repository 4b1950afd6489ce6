namespace KeyInfra.Authorization;

/// <summary>The answer of <see cref="IKeyInfraAuthorizer"/>: allowed, or denied with an optional reason.</summary>
/// <remarks>
/// The default value (<c>default(AuthorizationDecision)</c>) is a denial, so an authorizer that forgets to decide
/// fails closed.
/// </remarks>
public readonly struct AuthorizationDecision
{
    /// <summary>The longest <see cref="Reason"/>, in UTF-16 characters.</summary>
    public const int MaxReasonLength = 200;

    private AuthorizationDecision(bool isAllowed, string? reason)
    {
        IsAllowed = isAllowed;
        Reason = reason;
    }

    /// <summary>Allows the operation.</summary>
    public static AuthorizationDecision Allow { get; } = new(isAllowed: true, reason: null);

    /// <summary>Whether the operation may go ahead.</summary>
    public bool IsAllowed { get; }

    /// <summary>
    /// Why it was denied, such as "missing permission keys:sign"; logged and recorded as the verification's
    /// <see cref="Verification.VerificationRecord.Detail"/>, never put in an exception message. <c>null</c> when allowed.
    /// </summary>
    public string? Reason { get; }

    /// <summary>Denies the operation.</summary>
    /// <param name="reason">Why, for the log and the audit trail; never a secret. Up to <see cref="MaxReasonLength"/> characters, without control characters.</param>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is empty, too long, or holds control characters or unpaired surrogates.</exception>
    public static AuthorizationDecision Deny(string? reason = null)
    {
        CallerText.Check(reason, MaxReasonLength, "A denial reason", nameof(reason));
        return new AuthorizationDecision(isAllowed: false, reason);
    }
}
