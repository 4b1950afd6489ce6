namespace KeyInfra.Verification.Chain;

/// <summary>
/// Checks the verification log against its chains of authenticated digests (<c>log verify</c>), and gives the heads of
/// this process's chains for a host to keep outside the database.
/// </summary>
/// <remarks>
/// <para>What is found against what (docs/security/log-chain.md): a modified, deleted or inserted record, batch or batch
/// item, a reordered, removed or altered digest and a digest recomputed without the master key are all found from the
/// database alone; cutting off a chain's newest groups is found only against a head copied out earlier
/// (<see cref="LogAuditRequest.ExpectedHeads"/>).</para>
/// <para>Runs in the caller's tenant (<see cref="Tenancy.ITenantContext"/>) and needs the <c>ReadLog</c> permission.
/// Thread-safe.</para>
/// </remarks>
public interface IVerificationLogAuditor
{
    /// <summary>Walks the chains of the groups committed in the request's range and reports exactly what does not match.</summary>
    /// <param name="request">The range and the heads to check against.</param>
    /// <param name="progress">Told after each chain is checked; may be <c>null</c>.</param>
    /// <param name="cancellationToken">Stops the walk.</param>
    /// <returns>The findings; <see cref="LogAuditReport.IsClean"/> when there are none.</returns>
    /// <exception cref="Errors.AccessDeniedException">The caller may not read the log.</exception>
    /// <exception cref="Errors.KeyInfraException">A row cannot be read (code <c>KI4101</c>: a value KeyInfra does not know, itself a sign of tampering).</exception>
    Task<LogAuditReport> VerifyAsync(LogAuditRequest request, IProgress<LogAuditProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The heads of this process's chains, one per tenant it wrote for: copy them out of the database's reach (a
    /// ticket, another system's log) to check later with <see cref="LogAuditRequest.ExpectedHeads"/>. The writer also
    /// logs them (event 1100) every <see cref="VerificationLogOptions.ChainHeadInterval"/>.
    /// </summary>
    IReadOnlyList<LogChainHead> GetChainHeads();
}
