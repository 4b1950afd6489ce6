namespace KeyInfra.Authorization;

/// <summary>
/// Decides whether a caller may perform an operation. KeyInfra asks it inside the key store, the signer, the
/// verifier and the log reader, on every call, before anything is changed or returned.
/// </summary>
/// <remarks>
/// <para>
/// The default allows everything. A host registers its own before (or instead of) <c>AddKeyInfrastructure()</c>'s
/// default, which is added with TryAdd; the caller comes from <see cref="ICallerContext"/>.
/// </para>
/// <para>
/// A denied key-store, sign or log-read call throws <see cref="Errors.AccessDeniedException"/> (KI5001). A denied
/// verification is not an exception: it is the result <see cref="Verification.VerificationStatus.AccessDenied"/>,
/// recorded in the log like every other outcome. Every denial is logged at Warning with the caller id and key id.
/// </para>
/// <para>
/// It runs on the verification hot path, from many threads at once: it must be thread-safe, and it should decide
/// from what it holds in memory and return a completed <see cref="ValueTask{TResult}"/>, which costs no allocation.
/// It must not call back into KeyInfra's key store, signer or verifier. An exception it throws fails the call
/// (nothing is recorded), which is also a denial: KeyInfra never treats a failed check as allowed.
/// </para>
/// </remarks>
public interface IKeyInfraAuthorizer
{
    /// <summary>Decides one request.</summary>
    /// <param name="request">The operation, the caller, the tenant and, where there is one, the key.</param>
    /// <param name="cancellationToken">Cancels the decision (and the operation).</param>
    ValueTask<AuthorizationDecision> AuthorizeAsync(AuthorizationRequest request, CancellationToken cancellationToken);
}
