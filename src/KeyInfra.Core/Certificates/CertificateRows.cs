using KeyInfra.Errors;
using KeyInfra.RowAuthentication;
using KeyInfra.Storage;

namespace KeyInfra.Certificates;

/// <summary>
/// Seals and checks the MACs of certificate and revocation rows (<see cref="IdentityRowEncoding"/>), so that what a
/// database writer changes in them is refused rather than obeyed: a certificate row that fails is an error when it is
/// asked for and left out of every list; a revocation row that fails counts for nothing and never reaches a CRL.
/// </summary>
/// <remarks>Thread-safe. A refusal is logged at Error by the authenticator, naming the row.</remarks>
internal sealed class CertificateRows(ICertificateRepository repository, IdentityRowAuthenticator rows)
{
    /// <summary>The row with its MAC under the current master key.</summary>
    public async Task<CertificateRecord> SealAsync(CertificateRecord record, CancellationToken cancellationToken)
    {
        var (mac, masterKeyId) = await rows.SealAsync(IdentityRowEncoding.Encode(record), cancellationToken).ConfigureAwait(false);
        return record with { Mac = mac, MacMasterKeyId = masterKeyId };
    }

    /// <summary>The revocation with its MAC under the current master key.</summary>
    public async Task<RevokedCertificateRecord> SealAsync(RevokedCertificateRecord revocation, CancellationToken cancellationToken)
    {
        var (mac, masterKeyId) = await rows.SealAsync(IdentityRowEncoding.Encode(revocation), cancellationToken).ConfigureAwait(false);
        return revocation with { Mac = mac, MacMasterKeyId = masterKeyId };
    }

    /// <summary>Whether a certificate row is as KeyInfra last wrote it.</summary>
    public ValueTask<bool> IsAuthenticAsync(CertificateRecord record, CancellationToken cancellationToken)
        => rows.IsAuthenticAsync(IdentityRowEncoding.Encode(record), record.Mac, record.MacMasterKeyId, $"certificates {record.Id}", cancellationToken);

    /// <summary>Whether a revocation row is one KeyInfra made.</summary>
    public ValueTask<bool> IsAuthenticAsync(RevokedCertificateRecord revocation, CancellationToken cancellationToken)
        => rows.IsAuthenticAsync(IdentityRowEncoding.Encode(revocation), revocation.Mac, revocation.MacMasterKeyId, $"revoked_certificates {revocation.CertificateId}", cancellationToken);

    /// <summary>The error for a certificate row that fails its MAC.</summary>
    public static CertificateException Unauthentic(Guid certificateId) => new(
        ErrorCodes.StoredCertificateDataInvalid,
        $"The stored row of certificate {certificateId} fails its MAC: it was changed outside KeyInfra (or under a master key the source no longer has). " +
        "It is not shown, renewed, revoked or exported until the row is restored from a backup.");

    /// <summary>
    /// Whether the certificate has a revocation row KeyInfra did not make (or that was changed): one that counts for
    /// nothing, yet stands where the real one would go.
    /// </summary>
    public async Task<bool> HasUnauthenticRevocationAsync(Guid tenantId, Guid authorityId, Guid certificateId, CancellationToken cancellationToken)
    {
        foreach (var revocation in await repository.ListRevocationsAsync(tenantId, authorityId, cancellationToken).ConfigureAwait(false))
        {
            if (revocation.CertificateId == certificateId && !await IsAuthenticAsync(revocation, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The authentic rows of <paramref name="records"/>, in their order; the others are dropped (and logged).</summary>
    public Task<List<CertificateRecord>> AuthenticOnlyAsync(IEnumerable<CertificateRecord> records, CancellationToken cancellationToken)
        => WhereAsync(records, record => IsAuthenticAsync(record, cancellationToken));

    /// <summary>The authority's revocations KeyInfra made, in revocation order; a row that fails its MAC is left out (and logged).</summary>
    public async Task<IReadOnlyList<RevokedCertificateRecord>> ListRevocationsAsync(Guid tenantId, Guid authorityId, CancellationToken cancellationToken)
        => await WhereAsync(
            await repository.ListRevocationsAsync(tenantId, authorityId, cancellationToken).ConfigureAwait(false),
            revocation => IsAuthenticAsync(revocation, cancellationToken)).ConfigureAwait(false);

    private static async Task<List<T>> WhereAsync<T>(IEnumerable<T> rows, Func<T, ValueTask<bool>> isAuthentic)
    {
        var authentic = new List<T>();
        foreach (var row in rows)
        {
            if (await isAuthentic(row).ConfigureAwait(false))
            {
                authentic.Add(row);
            }
        }

        return authentic;
    }
}
