namespace KeyInfra.Authorization;

/// <summary>
/// Tells KeyInfra who the current operation runs for. KeyInfra reads it on every call to the key store, the
/// signer, the verifier and the log reader: it hands the caller to <see cref="IKeyInfraAuthorizer"/> and records its
/// <see cref="Caller.StableId"/> with every verification.
/// </summary>
/// <remarks>
/// The default is <see cref="AsyncLocalCallerContext"/>, which the host sets per request. A host whose caller is
/// already ambient (its own <see cref="AsyncLocal{T}"/>, an HTTP context accessor) may register its own
/// implementation before <c>AddKeyInfrastructure()</c>. It is called from singletons on every verification, so it
/// must be a singleton, thread-safe and cheap.
/// </remarks>
public interface ICallerContext
{
    /// <summary>The caller of the current operation; <c>null</c> when the host has set none.</summary>
    Caller? Current { get; }
}
