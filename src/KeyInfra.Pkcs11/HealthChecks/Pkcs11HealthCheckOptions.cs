using KeyInfra.Keys;

namespace KeyInfra.Pkcs11.HealthChecks;

/// <summary>What the PKCS#11 health check (<c>keyinfra.pkcs11</c>) looks at.</summary>
public sealed class Pkcs11HealthCheckOptions
{
    /// <summary>The names of the slots to check, of the tenant the host's <c>ITenantContext</c> gives the check; empty (the default) for every slot of that tenant.</summary>
    public IList<string> Slots { get; } = [];

    /// <summary>
    /// A key held in a token that the check signs with (a test signature over random bytes, through <c>ISigner</c>), or
    /// <c>null</c> (the default) for no test signature. Use a key made for the purpose: the caller context of the check
    /// must be allowed to sign with it.
    /// </summary>
    public KeyId? ProbeKeyId { get; set; }
}
