namespace KeyInfra.Pkcs11;

/// <summary>
/// The host's PKCS#11 settings (<c>AddPkcs11(o => …)</c>, or the <c>KeyInfra:Pkcs11</c> configuration section): which
/// libraries may be loaded, and how many sessions each token's pool keeps.
/// </summary>
/// <remarks>
/// <para>Security: loading a PKCS#11 library runs its code. The database is not trusted, so the library path a module
/// row names (<c>hsm_modules.library_path</c>) is loaded only if it is exactly one of the paths allowed here
/// (<see cref="ModulePath"/> or <see cref="AllowedModulePaths"/>, absolute, compared ordinally); any other path is
/// refused with <c>KI6001</c> and nothing is loaded.</para>
/// <para>Validated when the host starts (<c>ValidateOnStart</c>).</para>
/// </remarks>
public sealed class Pkcs11Options
{
    /// <summary>The largest <see cref="MaxSessionsPerToken"/>.</summary>
    public const int MaxSessionsLimit = 1024;

    /// <summary>
    /// A PKCS#11 library the host allows, such as <c>/usr/lib/softhsm/libsofthsm2.so</c>: the usual case of one module.
    /// Added to <see cref="AllowedModulePaths"/>. Default <c>null</c>. Must be an absolute path.
    /// </summary>
    public string? ModulePath { get; set; }

    /// <summary>
    /// Every PKCS#11 library the host allows, as absolute paths; a module row naming any other path is refused
    /// (<c>KI6001</c>). Default empty: with neither this nor <see cref="ModulePath"/>, no library can be loaded.
    /// </summary>
    public IList<string> AllowedModulePaths { get; } = [];

    /// <summary>
    /// How many sessions a token's pool opens at most for concurrent operations (each operation has a session of its
    /// own; sessions are not shared between threads), beside the one logged-in session it keeps open. Default 8; 1 to
    /// <see cref="MaxSessionsLimit"/>. Keep it within the token's session limit.
    /// </summary>
    public int MaxSessionsPerToken { get; set; } = 8;

    /// <summary>
    /// How long an operation waits for a free session of its token's pool before it fails with <c>KI6015</c>.
    /// Default 30 seconds; more than zero, at most 10 minutes.
    /// </summary>
    public TimeSpan SessionWaitTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether this process creates and destroys a token's objects (key generation, and discarding a generated key
    /// whose row could not be stored) one at a time per token. Default <c>true</c>: some modules lose or corrupt objects
    /// when threads create them in one token at once — SoftHSM2 2.6's file object store fails <c>C_GenerateKeyPair</c>
    /// with <c>CKR_GENERAL_ERROR</c> — and key generation is rare next to signing, which this never holds up. Set
    /// <c>false</c> for an HSM that supports concurrent generation, to generate many keys in parallel.
    /// </summary>
    public bool SerializeObjectChanges { get; set; } = true;

    /// <summary>The allowed paths: <see cref="ModulePath"/> and <see cref="AllowedModulePaths"/>.</summary>
    internal IEnumerable<string> AllAllowedPaths()
        => ModulePath is null ? AllowedModulePaths : AllowedModulePaths.Append(ModulePath);
}
