namespace KeyInfra.KeySources.Vault.Client;

/// <summary>A token from a login or a renewal, with its lease (<c>auth.lease_duration</c>, in seconds; 0 for a token that does not expire).</summary>
internal sealed record VaultLogin(string Token, long LeaseSeconds, bool Renewable)
{
    /// <inheritdoc />
    public override string ToString() => $"Vault token (lease {LeaseSeconds} s, renewable: {Renewable})";
}
