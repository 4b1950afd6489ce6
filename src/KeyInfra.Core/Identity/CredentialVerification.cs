using KeyInfra.Authorization;

namespace KeyInfra.Identity;

/// <summary>
/// The answer of <see cref="IApplicationStore.VerifyCredentialAsync"/> and <see cref="IUserStore.VerifyPasswordAsync"/>:
/// the caller to act as, or a failure that says nothing about why (an unknown client id, a wrong secret, a revoked or
/// expired credential, a disabled application and a throttled client id all look the same to the one who asked).
/// </summary>
public sealed class CredentialVerification
{
    private CredentialVerification(Caller? caller) => Caller = caller;

    /// <summary>The failure.</summary>
    public static CredentialVerification Failed { get; } = new(null);

    /// <summary>Whether the credential checked out.</summary>
    public bool Succeeded => Caller is not null;

    /// <summary>The caller to set (<see cref="AsyncLocalCallerContext.Use"/>) when it did; otherwise <c>null</c>.</summary>
    public Caller? Caller { get; }

    internal static CredentialVerification Success(Caller caller) => new(caller);

    /// <summary>Whether it succeeded, and as whom.</summary>
    public override string ToString() => Caller is null ? "CredentialVerification(failed)" : $"CredentialVerification({Caller.StableId})";
}
