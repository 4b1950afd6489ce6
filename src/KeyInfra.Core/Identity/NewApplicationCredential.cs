namespace KeyInfra.Identity;

/// <summary>
/// A credential just made: its public details and the secret, which KeyInfra shows this once and never stores (only its
/// hash). Hand the secret to the application over a secure channel, then drop this object.
/// </summary>
/// <param name="Credential">The credential's details.</param>
/// <param name="Secret">The client secret: 43 characters of Base64url (32 random bytes).</param>
public sealed record NewApplicationCredential(ApplicationCredentialInfo Credential, string Secret)
{
    /// <summary>Names the credential; never prints the secret.</summary>
    public override string ToString() => $"NewApplicationCredential(client '{Credential.ClientId}', secret hidden)";
}
