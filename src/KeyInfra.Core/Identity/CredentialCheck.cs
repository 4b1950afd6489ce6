namespace KeyInfra.Identity;

/// <summary>What <see cref="ICredentialHasher.Verify"/> found.</summary>
public enum CredentialCheck
{
    /// <summary>The secret does not match the hash.</summary>
    Failed = 0,

    /// <summary>The secret matches.</summary>
    Succeeded = 1,

    /// <summary>The secret matches a hash made with fewer iterations than configured now: store <see cref="ICredentialHasher.Hash"/> of it in place of the old hash.</summary>
    SucceededRehashNeeded = 2,
}
