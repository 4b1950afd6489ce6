namespace KeyInfra.Identity;

/// <summary>How application secrets and user passwords are hashed (<c>KeyInfra:CredentialHashing</c>).</summary>
public sealed class CredentialHashingOptions
{
    /// <summary>The fewest PBKDF2 iterations a hash is made or accepted with.</summary>
    public const int MinIterations = 100_000;

    /// <summary>The most PBKDF2 iterations accepted: a stored hash asking for more is refused rather than run (it would stall every check).</summary>
    public const int MaxIterations = 10_000_000;

    /// <summary>
    /// PBKDF2-HMAC-SHA256 iterations for new hashes. Default 600,000 (OWASP's figure for PBKDF2-HMAC-SHA256). Each hash
    /// records its own count, so raising this later rehashes a credential at its next successful check
    /// (<see cref="CredentialCheck.SucceededRehashNeeded"/>); stored hashes keep working.
    /// </summary>
    public int Iterations { get; set; } = 600_000;
}
