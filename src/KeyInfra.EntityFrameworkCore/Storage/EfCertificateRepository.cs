using KeyInfra.Certificates;
using KeyInfra.EntityFrameworkCore.Entities;
using KeyInfra.Keys;
using KeyInfra.Storage;
using Microsoft.EntityFrameworkCore;

namespace KeyInfra.EntityFrameworkCore.Storage;

/// <summary>
/// The EF Core <see cref="ICertificateRepository"/>: a context per call, no tracking on reads, the writes that span rows
/// in one transaction, compare-and-set on versions and statuses, serial clashes found through
/// <c>certificate_serials</c>. Registered by <c>UseEntityFrameworkCore</c>; a provider package may wrap it (PostgreSQL
/// adds row-level security and creates a certificate's partition before it is stored).
/// </summary>
/// <remarks>Thread-safe: every call creates its own context from the factory.</remarks>
/// <param name="contextFactory">The factory of KeyInfra contexts.</param>
public sealed class EfCertificateRepository(IDbContextFactory<KeyInfraDbContext> contextFactory) : ICertificateRepository
{
    private const int MaxLimit = 1000;

    /// <inheritdoc />
    public async Task<bool> AddAuthorityAsync(CertificateAuthorityRecord authority, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(authority);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        context.CertificateAuthorities.Add(ToEntity(authority));
        var expected = CommandFailureInterceptor.ExpectFailure();
        try
        {
            await context.SaveChangesOrStorageErrorAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DbUpdateException)
        {
            expected.Dispose();
            await using var check = await contextFactory.CreateDbContextAsync(CancellationToken.None).ConfigureAwait(false);
            if (await check.CertificateAuthorities.AnyAsync(a => a.Id != authority.Id && ((a.TenantId == authority.TenantId && a.Name == authority.Name) || a.KeyId == authority.KeyId.Value), CancellationToken.None).ConfigureAwait(false))
            {
                return false;
            }

            expected.NotHandled();
            throw;
        }
        finally
        {
            expected.Dispose();
        }
    }

    /// <inheritdoc />
    public async Task<CertificateAuthorityRecord?> GetAuthorityAsync(Guid tenantId, Guid authorityId, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await context.CertificateAuthorities.AsNoTracking().FirstOrDefaultAsync(a => a.TenantId == tenantId && a.Id == authorityId, cancellationToken).ConfigureAwait(false);
        return row is null ? null : ToRecord(row);
    }

    /// <inheritdoc />
    public async Task<CertificateAuthorityRecord?> FindAuthorityAsync(Guid tenantId, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await context.CertificateAuthorities.AsNoTracking().FirstOrDefaultAsync(a => a.TenantId == tenantId && a.Name == name, cancellationToken).ConfigureAwait(false);
        return row is null ? null : ToRecord(row);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CertificateAuthorityRecord>> ListAuthoritiesAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await context.CertificateAuthorities.AsNoTracking().Where(a => a.TenantId == tenantId).OrderBy(a => a.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.ConvertAll(ToRecord);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Guid>> ListAuthorityTenantsAsync(CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await context.CertificateAuthorities.AsNoTracking().Select(a => a.TenantId).Distinct().OrderBy(t => t).ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<CertificateWriteOutcome> AddCertificateAsync(CertificateRecord certificate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (await SerialTakenAsync(context, certificate, cancellationToken).ConfigureAwait(false))
        {
            return CertificateWriteOutcome.SerialTaken;
        }

        Add(context, certificate);
        return await SaveOrSerialTakenAsync(context, certificate, null, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<CertificateWriteOutcome> AddRenewalAsync(CertificateRecord renewal, CertificateRecord superseded, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(renewal);
        ArgumentNullException.ThrowIfNull(superseded);
        if (renewal.PreviousId is not { } previousId || previousId != superseded.Id || renewal.TenantId != superseded.TenantId)
        {
            throw new ArgumentException("A renewal names the certificate it renews (PreviousId), in the same tenant, as the superseded row.", nameof(renewal));
        }

        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (await SerialTakenAsync(context, renewal, cancellationToken).ConfigureAwait(false))
        {
            return CertificateWriteOutcome.SerialTaken;
        }

        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // The old one first, compare-and-set: of two renewals at once, one changes it and the other writes nothing.
        var changed = await context.Certificates
            .Where(c => c.TenantId == superseded.TenantId && c.Id == previousId && c.Status == CertificateStatus.Active && c.RenewedById == null && c.Version == superseded.Version)
            .ExecuteUpdateAsync(
                s => s.SetProperty(c => c.Status, superseded.Status)
                    .SetProperty(c => c.RenewedAt, superseded.RenewedAt)
                    .SetProperty(c => c.RenewedBy, superseded.RenewedBy)
                    .SetProperty(c => c.RenewedById, superseded.RenewedById)
                    .SetProperty(c => c.RowMac, superseded.Mac)
                    .SetProperty(c => c.RowMacMasterKeyId, superseded.MacMasterKeyId),
                cancellationToken)
            .ConfigureAwait(false);
        if (changed == 0)
        {
            return CertificateWriteOutcome.Conflict;
        }

        Add(context, renewal);
        return await SaveOrSerialTakenAsync(context, renewal, transaction, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<CertificateWriteOutcome> RevokeAsync(RevokedCertificateRecord revocation, CertificateRecord revoked, CertificateStatus expectedStatus, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(revocation);
        ArgumentNullException.ThrowIfNull(revoked);
        if (revoked.Id != revocation.CertificateId || revoked.TenantId != revocation.TenantId)
        {
            throw new ArgumentException("The revoked row is the revocation's certificate, in the same tenant.", nameof(revoked));
        }

        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (await context.RevokedCertificates.AnyAsync(r => r.CertificateId == revocation.CertificateId, cancellationToken).ConfigureAwait(false))
        {
            return CertificateWriteOutcome.Conflict;
        }

        var changed = await context.Certificates
            .Where(c => c.TenantId == revoked.TenantId && c.Id == revoked.Id && c.Status == expectedStatus && c.RenewedById == revoked.RenewedById)
            .ExecuteUpdateAsync(
                s => s.SetProperty(c => c.Status, revoked.Status)
                    .SetProperty(c => c.RowMac, revoked.Mac)
                    .SetProperty(c => c.RowMacMasterKeyId, revoked.MacMasterKeyId),
                cancellationToken)
            .ConfigureAwait(false);
        if (changed == 0)
        {
            return CertificateWriteOutcome.Conflict;
        }

        context.RevokedCertificates.Add(new RevokedCertificateEntity
        {
            CertificateId = revocation.CertificateId,
            TenantId = revocation.TenantId,
            AuthorityId = revocation.AuthorityId,
            SerialNumber = revocation.SerialNumber,
            Reason = revocation.Reason,
            RevokedAt = revocation.RevokedAt,
            RevokedBy = revocation.RevokedBy,
            RowMac = revocation.Mac,
            RowMacMasterKeyId = revocation.MacMasterKeyId,
        });
        await context.SaveChangesOrStorageErrorAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return CertificateWriteOutcome.Written;
    }

    /// <inheritdoc />
    public async Task<bool> UpdateCertificateMacAsync(CertificateRecord certificate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await context.Certificates
            .Where(c => c.TenantId == certificate.TenantId && c.Id == certificate.Id && c.Status == certificate.Status && c.RenewedById == certificate.RenewedById)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.RowMac, certificate.Mac).SetProperty(c => c.RowMacMasterKeyId, certificate.MacMasterKeyId), cancellationToken)
            .ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    public async Task<bool> UpdateRevocationMacAsync(RevokedCertificateRecord revocation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(revocation);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await context.RevokedCertificates
            .Where(r => r.TenantId == revocation.TenantId && r.CertificateId == revocation.CertificateId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.RowMac, revocation.Mac).SetProperty(r => r.RowMacMasterKeyId, revocation.MacMasterKeyId), cancellationToken)
            .ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    public async Task<CertificateRecord?> GetCertificateAsync(Guid tenantId, Guid certificateId, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await context.Certificates.AsNoTracking().FirstOrDefaultAsync(c => c.TenantId == tenantId && c.Id == certificateId, cancellationToken).ConfigureAwait(false);
        return row is null ? null : ToRecord(row);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CertificateRecord>> ListCertificatesAsync(Guid tenantId, CertificateListFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        CheckLimit(filter.Limit, nameof(filter));
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = context.Certificates.AsNoTracking().Where(c => c.TenantId == tenantId);
        if (filter.Owner is { } owner)
        {
            query = query.Where(c => c.Owner == owner);
        }

        if (filter.AuthorityId is { } authorityId)
        {
            query = query.Where(c => c.AuthorityId == authorityId);
        }

        if (filter.Status is { } status)
        {
            query = query.Where(c => c.Status == status);
        }

        if (filter.After is { } after)
        {
            query = query.Where(c => c.Id.CompareTo(after) > 0);
        }

        var rows = await query.OrderBy(c => c.Id).Take(filter.Limit).ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.ConvertAll(ToRecord);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CertificateRecord>> ListExpiringAsync(Guid tenantId, string? owner, DateTimeOffset from, DateTimeOffset until, int limit, CancellationToken cancellationToken = default)
    {
        CheckLimit(limit, nameof(limit));
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var query = context.Certificates.AsNoTracking()
            .Where(c => c.TenantId == tenantId && c.Status == CertificateStatus.Active && c.NotAfter > from && c.NotAfter <= until);
        if (owner is not null)
        {
            query = query.Where(c => c.Owner == owner);
        }

        var rows = await query.OrderBy(c => c.NotAfter).ThenBy(c => c.Id).Take(limit).ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.ConvertAll(ToRecord);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RevokedCertificateRecord>> ListRevocationsAsync(Guid tenantId, Guid authorityId, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await context.RevokedCertificates.AsNoTracking()
            .Where(r => r.TenantId == tenantId && r.AuthorityId == authorityId)
            .OrderBy(r => r.RevokedAt).ThenBy(r => r.CertificateId)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.ConvertAll(r => new RevokedCertificateRecord(r.CertificateId, r.TenantId, r.AuthorityId, r.SerialNumber, r.Reason, r.RevokedAt, r.RevokedBy)
        {
            Mac = r.RowMac,
            MacMasterKeyId = r.RowMacMasterKeyId,
        });
    }

    /// <inheritdoc />
    public async Task<bool> AddCrlAsync(CertificateRevocationListRecord crl, CertificateAuthorityRecord authority, long expectedAuthorityVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(crl);
        ArgumentNullException.ThrowIfNull(authority);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (!await UpdateStateAsync(context, authority, expectedAuthorityVersion, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        context.CertificateRevocationLists.Add(new CertificateRevocationListEntity
        {
            TenantId = crl.TenantId,
            AuthorityId = crl.AuthorityId,
            Number = crl.Number,
            ThisUpdate = crl.ThisUpdate,
            NextUpdate = crl.NextUpdate,
            Der = crl.Der,
        });
        await context.SaveChangesOrStorageErrorAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async Task<bool> UpdateAuthorityStateAsync(CertificateAuthorityRecord authority, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(authority);
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await UpdateStateAsync(context, authority, expectedVersion, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<CertificateRevocationListRecord?> GetCrlAsync(Guid tenantId, Guid authorityId, long number, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await context.CertificateRevocationLists.AsNoTracking()
            .FirstOrDefaultAsync(c => c.TenantId == tenantId && c.AuthorityId == authorityId && c.Number == number, cancellationToken).ConfigureAwait(false);
        return row is null ? null : new CertificateRevocationListRecord(row.TenantId, row.AuthorityId, row.Number, row.ThisUpdate, row.NextUpdate, row.Der);
    }

    /// <inheritdoc />
    public async Task<int> RemoveExpiredCertificatesAsync(DateTimeOffset expiredBefore, CancellationToken cancellationToken = default)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await context.Certificates.Where(c => c.NotAfter < expiredBefore).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> UpdateStateAsync(KeyInfraDbContext context, CertificateAuthorityRecord authority, long expectedVersion, CancellationToken cancellationToken)
        => await context.CertificateAuthorities
            .Where(a => a.TenantId == authority.TenantId && a.Id == authority.Id && a.Version == expectedVersion)
            .ExecuteUpdateAsync(
                s => s.SetProperty(a => a.CrlNumber, authority.CrlNumber)
                    .SetProperty(a => a.LastCrlSha256, authority.LastCrlSha256)
                    .SetProperty(a => a.NextCrlDue, authority.NextCrlDue)
                    .SetProperty(a => a.Version, authority.Version)
                    .SetProperty(a => a.RowMac, authority.Mac)
                    .SetProperty(a => a.RowMacMasterKeyId, authority.MacMasterKeyId),
                cancellationToken)
            .ConfigureAwait(false) > 0;

    private static async Task<bool> SerialTakenAsync(KeyInfraDbContext context, CertificateRecord certificate, CancellationToken cancellationToken)
        => await context.CertificateSerials.AnyAsync(
            s => s.TenantId == certificate.TenantId && s.AuthorityId == certificate.AuthorityId && s.SerialNumber == certificate.SerialNumber,
            cancellationToken).ConfigureAwait(false);

    private static void Add(KeyInfraDbContext context, CertificateRecord certificate)
    {
        context.CertificateSerials.Add(new CertificateSerialEntity
        {
            TenantId = certificate.TenantId,
            AuthorityId = certificate.AuthorityId,
            SerialNumber = certificate.SerialNumber,
            CertificateId = certificate.Id,
        });
        context.Certificates.Add(ToEntity(certificate));
    }

    // A serial another writer claimed between the check and the insert fails the insert on the primary key.
    private async Task<CertificateWriteOutcome> SaveOrSerialTakenAsync(KeyInfraDbContext context, CertificateRecord certificate, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction? transaction, CancellationToken cancellationToken)
    {
        var expected = CommandFailureInterceptor.ExpectFailure();
        try
        {
            await context.SaveChangesOrStorageErrorAsync(cancellationToken).ConfigureAwait(false);
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            return CertificateWriteOutcome.Written;
        }
        catch (DbUpdateException)
        {
            expected.Dispose();
            if (transaction is not null)
            {
                await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            }

            await using var check = await contextFactory.CreateDbContextAsync(CancellationToken.None).ConfigureAwait(false);
            if (await SerialTakenAsync(check, certificate, CancellationToken.None).ConfigureAwait(false))
            {
                return CertificateWriteOutcome.SerialTaken;
            }

            expected.NotHandled();
            throw;
        }
        finally
        {
            expected.Dispose();
        }
    }

    private static void CheckLimit(int limit, string paramName)
    {
        if (limit is < 1 or > MaxLimit)
        {
            throw new ArgumentOutOfRangeException(paramName, limit, $"A page holds 1 to {MaxLimit} certificates.");
        }
    }

    private static CertificateAuthorityEntity ToEntity(CertificateAuthorityRecord a) => new()
    {
        Id = a.Id,
        TenantId = a.TenantId,
        Name = a.Name,
        KeyId = a.KeyId.Value,
        ParentId = a.ParentId,
        ProfileName = a.ProfileName,
        CertificateDer = a.CertificateDer,
        NotAfter = a.NotAfter,
        CrlDistributionPoint = a.CrlDistributionPoint,
        CrlNumber = a.CrlNumber,
        LastCrlSha256 = a.LastCrlSha256,
        NextCrlDue = a.NextCrlDue,
        Version = a.Version,
        CreatedAt = a.CreatedAt,
        RowMac = a.Mac,
        RowMacMasterKeyId = a.MacMasterKeyId,
    };

    private static CertificateAuthorityRecord ToRecord(CertificateAuthorityEntity a) => new()
    {
        Id = a.Id,
        TenantId = a.TenantId,
        Name = a.Name,
        KeyId = new KeyId(a.KeyId),
        ParentId = a.ParentId,
        ProfileName = a.ProfileName,
        CertificateDer = a.CertificateDer,
        NotAfter = a.NotAfter,
        CrlDistributionPoint = a.CrlDistributionPoint,
        CrlNumber = a.CrlNumber,
        LastCrlSha256 = a.LastCrlSha256,
        NextCrlDue = a.NextCrlDue,
        Version = a.Version,
        CreatedAt = a.CreatedAt,
        Mac = a.RowMac,
        MacMasterKeyId = a.RowMacMasterKeyId,
    };

    private static CertificateEntity ToEntity(CertificateRecord c) => new()
    {
        Id = c.Id,
        TenantId = c.TenantId,
        AuthorityId = c.AuthorityId,
        SerialNumber = c.SerialNumber,
        Owner = c.Owner,
        Subject = c.Subject,
        SubjectAlternativeNames = c.SubjectAlternativeNames,
        NotBefore = c.NotBefore,
        NotAfter = c.NotAfter,
        Status = c.Status,
        Version = c.Version,
        PreviousId = c.PreviousId,
        RenewedAt = c.RenewedAt,
        RenewedBy = c.RenewedBy,
        RenewedById = c.RenewedById,
        ProfileName = c.ProfileName,
        KeyId = c.KeyId?.Value,
        Der = c.Der,
        CreatedAt = c.CreatedAt,
        RowMac = c.Mac,
        RowMacMasterKeyId = c.MacMasterKeyId,
    };

    private static CertificateRecord ToRecord(CertificateEntity c) => new()
    {
        Id = c.Id,
        TenantId = c.TenantId,
        AuthorityId = c.AuthorityId,
        SerialNumber = c.SerialNumber,
        Owner = c.Owner,
        Subject = c.Subject,
        SubjectAlternativeNames = c.SubjectAlternativeNames,
        NotBefore = c.NotBefore,
        NotAfter = c.NotAfter,
        Status = c.Status,
        Version = c.Version,
        PreviousId = c.PreviousId,
        RenewedAt = c.RenewedAt,
        RenewedBy = c.RenewedBy,
        RenewedById = c.RenewedById,
        ProfileName = c.ProfileName,
        KeyId = c.KeyId is { } keyId ? new KeyId(keyId) : null,
        Der = c.Der,
        CreatedAt = c.CreatedAt,
        Mac = c.RowMac,
        MacMasterKeyId = c.RowMacMasterKeyId,
    };
}
