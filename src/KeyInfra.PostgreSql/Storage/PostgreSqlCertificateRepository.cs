using System.Collections.Concurrent;
using KeyInfra.EntityFrameworkCore;
using KeyInfra.EntityFrameworkCore.Storage;
using KeyInfra.PostgreSql.Connection;
using KeyInfra.PostgreSql.Tenancy;
using KeyInfra.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace KeyInfra.PostgreSql.Storage;

/// <summary>
/// The PostgreSQL <see cref="ICertificateRepository"/>: the shared EF Core repository, each call under the tenant it is
/// given (row-level security filters for it, and the owner scope for the reads that carry one), the month partition of
/// a certificate's <c>not_after</c> created before it is stored, reads retried on transient failures (writes are not:
/// a write that may have committed is not repeated), and the cross-tenant questions answered by the migrations'
/// functions (which tenants have authorities; retention drops whole partitions).
/// </summary>
internal sealed class PostgreSqlCertificateRepository : ICertificateRepository
{
    private readonly IDbContextFactory<KeyInfraDbContext> _contextFactory;
    private readonly EfCertificateRepository _inner;
    private readonly PostgreSqlDataSource _dataSource;
    private readonly TransientRetry _retry;
    private readonly ConcurrentDictionary<DateTime, bool> _partitions = new();

    public PostgreSqlCertificateRepository(IDbContextFactory<KeyInfraDbContext> contextFactory, PostgreSqlDataSource dataSource, PostgreSqlStorage storage, ILogger<PostgreSqlCertificateRepository> logger)
    {
        _contextFactory = contextFactory;
        _inner = new EfCertificateRepository(contextFactory);
        _dataSource = dataSource;
        _retry = new TransientRetry(storage.Options, logger);
    }

    public async Task<bool> AddAuthorityAsync(CertificateAuthorityRecord authority, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(authority);
        PostgreSqlText.Check(authority.Name, nameof(authority));
        PostgreSqlText.Check(authority.CrlDistributionPoint, nameof(authority));
        using var scope = TenantScope.Enter(authority.TenantId);
        return await _inner.AddAuthorityAsync(authority, cancellationToken).ConfigureAwait(false);
    }

    public async Task<CertificateAuthorityRecord?> GetAuthorityAsync(Guid tenantId, Guid authorityId, CancellationToken cancellationToken = default)
    {
        using var scope = TenantScope.Enter(tenantId);
        return await _retry.ExecuteAsync(() => _inner.GetAuthorityAsync(tenantId, authorityId, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async Task<CertificateAuthorityRecord?> FindAuthorityAsync(Guid tenantId, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!PostgreSqlText.IsStorable(name))
        {
            return null;
        }

        using var scope = TenantScope.Enter(tenantId);
        return await _retry.ExecuteAsync(() => _inner.FindAuthorityAsync(tenantId, name, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<CertificateAuthorityRecord>> ListAuthoritiesAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        using var scope = TenantScope.Enter(tenantId);
        return await _retry.ExecuteAsync(() => _inner.ListAuthoritiesAsync(tenantId, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<Guid>> ListAuthorityTenantsAsync(CancellationToken cancellationToken = default)
        => _retry.ExecuteAsync<IReadOnlyList<Guid>>(
            async () =>
            {
                // Row-level security shows one tenant at a time: a function that reveals only which tenants have authorities.
                await using var context = await _contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
                return await context.Database
                    .SqlQueryRaw<Guid>("SELECT tenant_id AS \"Value\" FROM keyinfra_certificate_authority_tenants() ORDER BY 1")
                    .ToListAsync(cancellationToken)
                    .ConfigureAwait(false);
            },
            cancellationToken);

    public async Task<CertificateWriteOutcome> AddCertificateAsync(CertificateRecord certificate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        Check(certificate);
        await EnsurePartitionAsync(certificate.NotAfter, cancellationToken).ConfigureAwait(false);
        using var scope = TenantScope.Enter(certificate.TenantId);
        return await _inner.AddCertificateAsync(certificate, cancellationToken).ConfigureAwait(false);
    }

    public async Task<CertificateWriteOutcome> AddRenewalAsync(CertificateRecord renewal, CertificateRecord superseded, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(renewal);
        ArgumentNullException.ThrowIfNull(superseded);
        Check(renewal);
        PostgreSqlText.Check(superseded.RenewedBy, nameof(superseded));
        await EnsurePartitionAsync(renewal.NotAfter, cancellationToken).ConfigureAwait(false);
        using var scope = TenantScope.Enter(renewal.TenantId);
        return await _inner.AddRenewalAsync(renewal, superseded, cancellationToken).ConfigureAwait(false);
    }

    public async Task<CertificateWriteOutcome> RevokeAsync(RevokedCertificateRecord revocation, CertificateRecord revoked, Certificates.CertificateStatus expectedStatus, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(revocation);
        PostgreSqlText.Check(revocation.RevokedBy, nameof(revocation));
        using var scope = TenantScope.Enter(revocation.TenantId);
        return await _inner.RevokeAsync(revocation, revoked, expectedStatus, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> UpdateCertificateMacAsync(CertificateRecord certificate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var scope = TenantScope.Enter(certificate.TenantId);
        return await _inner.UpdateCertificateMacAsync(certificate, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> UpdateRevocationMacAsync(RevokedCertificateRecord revocation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(revocation);
        using var scope = TenantScope.Enter(revocation.TenantId);
        return await _inner.UpdateRevocationMacAsync(revocation, cancellationToken).ConfigureAwait(false);
    }

    public async Task<CertificateRecord?> GetCertificateAsync(Guid tenantId, Guid certificateId, CancellationToken cancellationToken = default)
    {
        using var scope = TenantScope.Enter(tenantId);
        return await _retry.ExecuteAsync(() => _inner.GetCertificateAsync(tenantId, certificateId, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<CertificateRecord>> ListCertificatesAsync(Guid tenantId, CertificateListFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (!PostgreSqlText.IsStorable(filter.Owner))
        {
            return [];
        }

        using var scope = TenantScope.Enter(tenantId);
        return await _retry.ExecuteAsync(() => _inner.ListCertificatesAsync(tenantId, filter, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<CertificateRecord>> ListExpiringAsync(Guid tenantId, string? owner, DateTimeOffset from, DateTimeOffset until, int limit, CancellationToken cancellationToken = default)
    {
        if (!PostgreSqlText.IsStorable(owner))
        {
            return [];
        }

        using var scope = TenantScope.Enter(tenantId);
        return await _retry.ExecuteAsync(() => _inner.ListExpiringAsync(tenantId, owner, from, until, limit, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<RevokedCertificateRecord>> ListRevocationsAsync(Guid tenantId, Guid authorityId, CancellationToken cancellationToken = default)
    {
        using var scope = TenantScope.Enter(tenantId);
        return await _retry.ExecuteAsync(() => _inner.ListRevocationsAsync(tenantId, authorityId, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> AddCrlAsync(CertificateRevocationListRecord crl, CertificateAuthorityRecord authority, long expectedAuthorityVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(crl);
        using var scope = TenantScope.Enter(crl.TenantId);
        return await _inner.AddCrlAsync(crl, authority, expectedAuthorityVersion, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> UpdateAuthorityStateAsync(CertificateAuthorityRecord authority, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(authority);
        using var scope = TenantScope.Enter(authority.TenantId);
        return await _inner.UpdateAuthorityStateAsync(authority, expectedVersion, cancellationToken).ConfigureAwait(false);
    }

    public async Task<CertificateRevocationListRecord?> GetCrlAsync(Guid tenantId, Guid authorityId, long number, CancellationToken cancellationToken = default)
    {
        using var scope = TenantScope.Enter(tenantId);
        return await _retry.ExecuteAsync(() => _inner.GetCrlAsync(tenantId, authorityId, number, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops the partitions whose month ended by <paramref name="expiredBefore"/> (never younger than the function's 24-month floor).</summary>
    /// <remarks>Needs EXECUTE on <c>keyinfra_drop_certificate_partitions(timestamptz)</c>, which no role has by default: the DBA grants it to the role that runs retention.</remarks>
    public async Task<int> RemoveExpiredCertificatesAsync(DateTimeOffset expiredBefore, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.DataSource.CreateCommand("SELECT partition_name FROM keyinfra_drop_certificate_partitions($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = expiredBefore.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        var dropped = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            dropped++;
        }

        _partitions.Clear();
        return dropped;
    }

    private static void Check(CertificateRecord certificate)
    {
        PostgreSqlText.Check(certificate.Owner, nameof(certificate));
        PostgreSqlText.Check(certificate.Subject, nameof(certificate));
        PostgreSqlText.Check(certificate.SubjectAlternativeNames, nameof(certificate));
    }

    // A certificate goes into the partition of its not_after's month, which the function creates if it is missing
    // (idempotent, serialized by an advisory lock); each month is asked for once per process.
    private async Task EnsurePartitionAsync(DateTimeOffset notAfter, CancellationToken cancellationToken)
    {
        var utc = notAfter.UtcDateTime;
        var month = new DateTime(utc.Year, utc.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        if (_partitions.ContainsKey(month))
        {
            return;
        }

        await _retry.ExecuteAsync(
            async () =>
            {
                await using var command = _dataSource.DataSource.CreateCommand("SELECT keyinfra_create_certificate_partitions($1, 1)");
                command.Parameters.Add(new NpgsqlParameter { Value = month, NpgsqlDbType = NpgsqlDbType.TimestampTz });
                await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
        _partitions[month] = true;
    }
}
