namespace KeyInfra.RowAuthentication;

/// <summary>
/// Brings every stored key row under the current master key's MAC: the pass that migrates a database written before
/// row authentication, and that follows a master-key rotation (as re-encryption re-wraps data keys).
/// </summary>
/// <remarks>
/// <para>Works across all tenants, in pages of key id order, each row updated on its own (compare-and-set on the row
/// version), so an interrupted pass loses nothing and running it again continues where it stopped; a pass over rows
/// that are all current changes nothing. Rows whose MAC is valid under an older master key are re-authenticated under
/// the current one. Rows without a MAC are authenticated only while the database is migrating. A row whose MAC fails
/// is never authenticated again: it is reported as refused.</para>
/// <para>When a pass of a migrating database finds every row authenticated and refuses none, it records the strict
/// state in the master key's check value; from then on every row without a MAC is refused. Other running instances
/// read the strict state at their next master key validation (a restart or a key refresh).</para>
/// <para>Run it after every instance runs this release: an older release's lifecycle change leaves a row's MAC stale,
/// and the row is then refused. Thread-safe; needs a master key source.</para>
/// </remarks>
public interface IKeyRowAuthenticator
{
    /// <summary>Authenticates every key row that needs it; see the interface remarks.</summary>
    /// <param name="progress">Receives the counts so far after each page; may be <c>null</c>.</param>
    /// <param name="cancellationToken">Stops the pass between rows; what was written stays.</param>
    /// <returns>What the pass did, and whether the database is strict at its end.</returns>
    /// <exception cref="Errors.MasterKeyException">No master key source is configured, or validation failed.</exception>
    /// <exception cref="Errors.AccessDeniedException">
    /// KI5001: the caller may not manage master keys (<see cref="Authorization.KeyInfraOperation.ManageMasterKeys"/>; the
    /// built-in authorizer allows system callers only).
    /// </exception>
    Task<KeyRowAuthenticationSummary> AuthenticateAllAsync(IProgress<KeyRowAuthenticationSummary>? progress = null, CancellationToken cancellationToken = default);
}
