using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KeyInfra.Audit;
using KeyInfra.Authorization;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.PrivateKeys;
using KeyInfra.RowAuthentication;
using KeyInfra.Storage;
using KeyInfra.Tenancy;
using Microsoft.Extensions.Logging;

namespace KeyInfra.Certificates;

/// <summary>The engine's <see cref="ICertificateStore"/>.</summary>
/// <remarks>
/// Every certificate row read back must pass its MAC (<see cref="CertificateRows"/>) before its owner decides who may
/// see or change it, and its DER is checked against its issuer before it is used (<see cref="AuthorityStore.CheckIssued"/>),
/// so a row changed in the database cannot give a certificate to another owner, make a renewal certify another key or
/// name, nor an export pair a key with a certificate that is not its.
/// </remarks>
internal sealed class CertificateStore(
    AuthorityStore store,
    CertificateRows rows,
    IKeyStore keyStore,
    ITenantContext tenant,
    AccessGuard access,
    AuditRecorder audit,
    IKeyReader keyReader,
    KeyRowAuthenticator keyRows,
    SoftwareKeyEncryption encryption,
    CertificateMetrics metrics,
    TimeProvider time,
    ILogger<CertificateStore> logger) : ICertificateStore
{
    private const int MaxNames = 100;
    private const int MaxSerialAttempts = 3;

    public async Task<CertificateInfo> IssueAsync(IssueCertificateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.SigningRequest is null == request.Key is null)
        {
            throw new ArgumentException("Give either a signing request or a KeyInfra key to certify, not both and not neither.", nameof(request));
        }

        var tenantId = tenant.TenantId;
        var owner = request.Owner ?? OwnerOfCaller();
        await access.DemandAsync(KeyInfraOperation.IssueCertificate, tenantId, null, null, null, owner, cancellationToken).ConfigureAwait(false);
        var profile = LeafProfile(request.ProfileName);
        var authority = await store.RequireAsync(tenantId, request.AuthorityId, cancellationToken).ConfigureAwait(false);

        X500DistinguishedName subject;
        PublicKey publicKey;
        CertificateNames names;
        KeyId? keyId = null;
        if (request.SigningRequest is { } csr)
        {
            var read = SigningRequestReader.Read(csr.Span);
            (subject, publicKey, names) = (read.Subject, read.PublicKey, read.Names);
        }
        else
        {
            // The caller must be allowed to read the key it asks a certificate for (IKeyStore checks), and it must not be an authority's.
            var key = await keyStore.GetAsync(request.Key!.Value, cancellationToken).ConfigureAwait(false)
                ?? throw new CertificateException(ErrorCodes.CertificateProfileViolation, $"There is no key {request.Key}.");
            if (CertificateAuthorityKeys.IsDedicated(key))
            {
                throw new CertificateException(ErrorCodes.CertificateProfileViolation, $"Key {key.Id} is a certificate authority's; it is certified only as an authority.");
            }

            names = NamesOf(request.DnsNames, request.IpAddresses);
            subject = RequestSubject.Rebuild(ParseSubject(request.Subject), names);
            publicKey = PublicKey.CreateFromSubjectPublicKeyInfo(key.PublicKeySpki.Span, out _);
            keyId = key.Id;
        }

        var now = AuthorityStore.Truncate(time.GetUtcNow());
        var record = await IssueAndStoreAsync(authority, profile, subject, publicKey, names, (now, now + request.Validity), owner, keyId, renewing: null, cancellationToken).ConfigureAwait(false);
        metrics.Issued(renewal: false);
        var info = ToInfo(record);
        await audit.ChangeAsync(Audited(AuditActions.CertificateIssue, null, info), cancellationToken).ConfigureAwait(false);
        return info;
    }

    public async Task<CertificateInfo?> GetAsync(Guid certificateId, CancellationToken cancellationToken = default)
    {
        var tenantId = tenant.TenantId;
        var stored = await store.Repository.GetCertificateAsync(tenantId, certificateId, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return null;
        }

        CertificateRecord record;
        try
        {
            record = await AuthenticAndAllowedAsync(KeyInfraOperation.ReadCertificates, tenantId, stored, cancellationToken).ConfigureAwait(false);
        }
        catch (AccessDeniedException)
        {
            // A certificate the caller may not see is one it cannot tell from one that does not exist (the denial is audited).
            return null;
        }

        return ToInfo(record);
    }

    public async Task<CertificatePage> ListAsync(CertificateQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var tenantId = tenant.TenantId;
        var owners = await access.DemandOwnersAsync(KeyInfraOperation.ReadCertificates, tenantId, null, null, query.Owner, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<CertificateRecord> page;
        using (OwnerScope.EnterIfAny(owners))
        {
            page = await store.Repository.ListCertificatesAsync(tenantId, new CertificateListFilter(query.Owner, query.AuthorityId, query.Status, query.After, query.Limit), cancellationToken).ConfigureAwait(false);
        }

        // A row that fails its MAC is left out (and logged); the cursor still moves past it.
        var items = (await rows.AuthenticOnlyAsync(page, cancellationToken).ConfigureAwait(false))
            .Where(c => owners is null || OwnerScope.Includes(owners, c.Owner)).Select(ToInfo).ToList();
        return new CertificatePage(items, page.Count == query.Limit ? page[^1].Id : null);
    }

    public async Task<IReadOnlyList<CertificateInfo>> ListExpiringAsync(TimeSpan within, string? owner = null, CancellationToken cancellationToken = default)
    {
        if (within <= TimeSpan.Zero || within > TimeSpan.FromDays(3650))
        {
            throw new ArgumentOutOfRangeException(nameof(within), within, "Look ahead a positive time of at most 10 years (7 days is the usual alert).");
        }

        var tenantId = tenant.TenantId;
        var owners = await access.DemandOwnersAsync(KeyInfraOperation.ReadCertificates, tenantId, null, null, owner, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        IReadOnlyList<CertificateRecord> expiring;
        using (OwnerScope.EnterIfAny(owners))
        {
            expiring = await store.Repository.ListExpiringAsync(tenantId, owner, now, now + within, 1000, cancellationToken).ConfigureAwait(false);
        }

        return [.. (await rows.AuthenticOnlyAsync(expiring, cancellationToken).ConfigureAwait(false)).Where(c => owners is null || OwnerScope.Includes(owners, c.Owner)).Select(ToInfo)];
    }

    public async Task<CertificateInfo> RenewAsync(Guid certificateId, CancellationToken cancellationToken = default)
    {
        var tenantId = tenant.TenantId;
        var old = await RequireAsync(KeyInfraOperation.RenewCertificate, tenantId, certificateId, cancellationToken).ConfigureAwait(false);
        if (old.Status != CertificateStatus.Active)
        {
            throw new CertificateException(ErrorCodes.CertificateStateConflict, $"Certificate {certificateId} is {old.Status.ToString().ToLowerInvariant()}; only an active certificate is renewed (renew its successor, or issue a new one).");
        }

        var authority = await store.RequireAsync(tenantId, old.AuthorityId, cancellationToken).ConfigureAwait(false);
        var chain = await store.ChainAsync(authority, cancellationToken).ConfigureAwait(false);
        using var issued = AuthorityStore.CheckIssued(old, chain);
        await CheckKeyAsync(old, cancellationToken).ConfigureAwait(false);

        // A row put back as it was before its revocation still has a valid MAC: a serial on the stored revocations or the
        // authenticated last CRL is revoked, whatever the row says, and never renewed.
        if (await store.IsRevokedAsync(authority, AuthorityStore.SerialText(issued.SerialNumberBytes.Span), cancellationToken).ConfigureAwait(false))
        {
            throw new CertificateException(ErrorCodes.CertificateStateConflict, $"Certificate {certificateId} is revoked (on its issuer's revocations or last CRL); it is not renewed.");
        }

        // What the old certificate says, as its issuer signed it: subject, key, names, purposes, lifetime (never the row's copies).
        var names = NamesOf(issued);
        var profile = ProfileOf(issued);
        var now = AuthorityStore.Truncate(time.GetUtcNow());
        var record = await IssueAndStoreAsync(
            authority, profile, issued.SubjectName, issued.PublicKey, names, (now, now + (issued.NotAfter - issued.NotBefore)),
            old.Owner, old.KeyId, (old, OwnerOfCaller()), cancellationToken).ConfigureAwait(false);
        metrics.Issued(renewal: true);
        var info = ToInfo(record);
        await audit.ChangeAsync(Audited(AuditActions.CertificateRenew, ToInfo(old), info), cancellationToken).ConfigureAwait(false);
        return info;
    }

    public async Task<CertificateInfo> RevokeAsync(Guid certificateId, X509RevocationReason reason, CancellationToken cancellationToken = default)
    {
        // RFC 5280, 5.3.1: 0-6, 9 and 10 (7 is unused, removeFromCRL only appears in delta CRLs).
        if ((int)reason is < 0 or > 10 or 7 or 8)
        {
            throw new ArgumentOutOfRangeException(nameof(reason), reason, "An RFC 5280 revocation reason for a full CRL: unspecified, key compromise, CA compromise, affiliation changed, superseded, cessation of operation, certificate hold, privilege withdrawn or AA compromise.");
        }

        var tenantId = tenant.TenantId;
        var record = await RequireAsync(KeyInfraOperation.RevokeCertificate, tenantId, certificateId, cancellationToken).ConfigureAwait(false);
        var authority = await store.RequireAsync(tenantId, record.AuthorityId, cancellationToken).ConfigureAwait(false);
        using var issued = AuthorityStore.CheckIssued(record, await store.ChainAsync(authority, cancellationToken).ConfigureAwait(false));
        var revocation = await rows.SealAsync(
            new RevokedCertificateRecord(record.Id, tenantId, record.AuthorityId, AuthorityStore.SerialText(issued.SerialNumberBytes.Span), reason, AuthorityStore.Truncate(time.GetUtcNow()), OwnerOfCaller()),
            cancellationToken).ConfigureAwait(false);
        var revoked = await rows.SealAsync(record with { Status = CertificateStatus.Revoked }, cancellationToken).ConfigureAwait(false);
        if (await store.Repository.RevokeAsync(revocation, revoked, record.Status, cancellationToken).ConfigureAwait(false) != CertificateWriteOutcome.Written)
        {
            // A revocation row KeyInfra did not make counts for nothing, but it holds the place of the real one: say so
            // rather than "revoked already", which would leave a live certificate off every CRL.
            if (await rows.HasUnauthenticRevocationAsync(tenantId, record.AuthorityId, record.Id, cancellationToken).ConfigureAwait(false))
            {
                throw new CertificateException(
                    ErrorCodes.StoredCertificateDataInvalid,
                    $"Certificate {certificateId} has a revocation row KeyInfra did not make (or one changed outside it): it is on no CRL, and it keeps this revocation from being stored. " +
                    "Have the database owner delete that row of revoked_certificates (or restore it from a backup), then revoke again.");
            }

            throw new CertificateException(ErrorCodes.CertificateStateConflict, $"Certificate {certificateId} is revoked already, or was renewed or revoked meanwhile.");
        }

        metrics.Revoked(reason);
        var after = ToInfo(revoked);
        await audit.ChangeAsync(Audited(AuditActions.CertificateRevoke, ToInfo(record), after, ("reason", reason.ToString())), cancellationToken).ConfigureAwait(false);

        // The revocation is stored; the CRL that lists it follows at once (and, should this fail, at the next schedule).
        await store.PublishCrlAsync(await store.RequireAsync(tenantId, record.AuthorityId, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return after;
    }

    public async Task<byte[]> ExportPkcs12Async(Guid certificateId, string pin, bool includePrivateKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pin);
        if (pin.Length < Pkcs12Export.MinPinLength)
        {
            throw new ArgumentException($"The PIN protecting a PKCS#12 export is at least {Pkcs12Export.MinPinLength} characters: the file can be attacked offline.", nameof(pin));
        }

        var tenantId = tenant.TenantId;
        var record = await RequireAsync(KeyInfraOperation.ExportCertificate, tenantId, certificateId, cancellationToken).ConfigureAwait(false);
        var authority = await store.RequireAsync(tenantId, record.AuthorityId, cancellationToken).ConfigureAwait(false);
        var chain = await store.ChainAsync(authority, cancellationToken).ConfigureAwait(false);
        using var issued = AuthorityStore.CheckIssued(record, chain);
        var chainCertificates = chain.Select(a => a.Certificate).ToList();
        byte[] exported;
        if (!includePrivateKey)
        {
            exported = Pkcs12Export.Export(issued, chainCertificates, pin, withPrivateKey: false);
        }
        else
        {
            using var withKey = await WithPrivateKeyAsync(tenantId, record, issued, cancellationToken).ConfigureAwait(false);
            exported = Pkcs12Export.Export(withKey, chainCertificates, pin, withPrivateKey: true);
        }

        await audit.ChangeAsync(new AuditChange
        {
            Action = AuditActions.CertificateExport,
            TargetType = "certificate",
            TargetId = record.Id.ToString(),
            After = new Dictionary<string, string?> { ["private_key"] = includePrivateKey ? "true" : "false", ["format"] = "pkcs12" },
        }, cancellationToken).ConfigureAwait(false);
        return exported;
    }

    // Signs, stores with a fresh serial (drawn again on a clash), and for a renewal supersedes the old certificate in the
    // same transaction; both rows sealed with their MACs.
    private async Task<CertificateRecord> IssueAndStoreAsync(
        LoadedAuthority authority,
        CertificateProfile profile,
        X500DistinguishedName subject,
        PublicKey publicKey,
        CertificateNames names,
        (DateTimeOffset NotBefore, DateTimeOffset NotAfter) validity,
        string owner,
        KeyId? keyId,
        (CertificateRecord Old, string By)? renewing,
        CancellationToken cancellationToken)
    {
        var tenantId = authority.Record.TenantId;
        var generator = store.GeneratorFor(tenantId, authority.Key);
        for (var attempt = 1; ; attempt++)
        {
            var serial = CertificateSerialNumber.New();

            // The BCL's generator is synchronous: off the caller's thread, so a synchronization context cannot deadlock it.
            using var certificate = await Task.Run(
                () => CertificateIssuer.Issue(profile, subject, publicKey, names, authority.Certificate, generator, authority.Hash, validity, serial, authority.CrlDistributionPoint),
                cancellationToken).ConfigureAwait(false);
            var record = await rows.SealAsync(new CertificateRecord
            {
                Id = Guid.CreateVersion7(validity.NotBefore),
                TenantId = tenantId,
                AuthorityId = authority.Record.Id,
                SerialNumber = AuthorityStore.SerialText(serial),
                Owner = owner,
                Subject = certificate.Subject,
                SubjectAlternativeNames = string.Join(",", names.DnsNames.Concat(names.IpAddresses.Select(a => a.ToString()))),
                NotBefore = certificate.NotBefore.ToUniversalTime(),
                NotAfter = certificate.NotAfter.ToUniversalTime(),
                Status = CertificateStatus.Active,
                Version = renewing is { } r ? r.Old.Version + 1 : 1,
                PreviousId = renewing?.Old.Id,
                ProfileName = profile.Name,
                KeyId = keyId,
                Der = certificate.RawData,
                CreatedAt = validity.NotBefore,
            }, cancellationToken).ConfigureAwait(false);
            var outcome = renewing is { } renewal
                ? await store.Repository.AddRenewalAsync(
                    record,
                    await rows.SealAsync(renewal.Old with { Status = CertificateStatus.Superseded, RenewedAt = record.CreatedAt, RenewedBy = renewal.By, RenewedById = record.Id }, cancellationToken).ConfigureAwait(false),
                    cancellationToken).ConfigureAwait(false)
                : await store.Repository.AddCertificateAsync(record, cancellationToken).ConfigureAwait(false);
            switch (outcome)
            {
                case CertificateWriteOutcome.Written:
                    return record;
                case CertificateWriteOutcome.Conflict:
                    throw new CertificateException(ErrorCodes.CertificateStateConflict, $"Certificate {renewing?.Old.Id} was renewed or revoked meanwhile; nothing was issued.");
                case CertificateWriteOutcome.SerialTaken when attempt < MaxSerialAttempts:
                    continue;
                default:
                    throw new CertificateException(ErrorCodes.CertificateStateConflict, $"{MaxSerialAttempts} random 128-bit serial numbers in a row were taken: the random number generator or the database is broken.");
            }
        }
    }

    // Defence in depth behind the row's MAC: a key an authority owns is never exported or certified again as a leaf's.
    private async Task CheckKeyAsync(CertificateRecord record, CancellationToken cancellationToken)
    {
        if (record.KeyId is { } keyId && await keyStore.GetAsync(keyId, cancellationToken).ConfigureAwait(false) is { } key && CertificateAuthorityKeys.IsDedicated(key))
        {
            throw new CertificateException(ErrorCodes.StoredCertificateDataInvalid, $"Certificate {record.Id} names key {keyId}, which is a certificate authority's: the row was changed outside KeyInfra.");
        }
    }

    // The profile a certificate was issued under, from its signed extended key usages (what its issuer signed, not a column).
    private static CertificateProfile ProfileOf(X509Certificate2 certificate)
    {
        var purposes = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().SelectMany(e => e.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>()).Select(o => o.Value ?? "").ToHashSet(StringComparer.Ordinal);
        return CertificateProfile.BuiltIn.FirstOrDefault(p => !p.IsAuthority && p.ExtendedKeyUsages.ToHashSet(StringComparer.Ordinal).SetEquals(purposes))
            ?? throw new CertificateException(ErrorCodes.StoredCertificateDataInvalid, $"Certificate '{certificate.Subject}' has purposes no device profile gives; it is not renewed.");
    }

    private async Task<X509Certificate2> WithPrivateKeyAsync(Guid tenantId, CertificateRecord record, X509Certificate2 issued, CancellationToken cancellationToken)
    {
        if (record.KeyId is not { } keyId)
        {
            throw NotExportable($"Certificate {record.Id} was issued from a signing request: its private key never reached KeyInfra. Export it without the key.");
        }

        await CheckKeyAsync(record, cancellationToken).ConfigureAwait(false);

        // Exporting a private key is more than signing with it: the caller must be allowed to read the key too.
        var info = await keyStore.GetAsync(keyId, cancellationToken).ConfigureAwait(false)
            ?? throw NotExportable($"The key {keyId} of certificate {record.Id} is gone.");
        var key = await new AuthenticatingKeyReader(keyReader, keyRows).ReadAsync(tenantId, keyId, KeyReadPurpose.Signing, cancellationToken).ConfigureAwait(false);
        if (key?.PrivateKey is not { Protection: PrivateKeyProtection.Envelope })
        {
            throw NotExportable($"The private key of certificate {record.Id} is {(key?.PrivateKey?.Protection == PrivateKeyProtection.Hsm ? "held in an HSM, which never lets it out" : "not a software key KeyInfra holds")}; export the certificate without it.");
        }

        if (info.Spec.Algorithm == KeyAlgorithm.EdDsa)
        {
            throw NotExportable("An Ed25519 private key cannot be put into a PKCS#12 file by the platform; export the certificate without it.");
        }

        using var signingKey = await SoftwarePrivateKeyOpener.OpenAsync(key, encryption.Encryptor, unsafeReadPlaintext: false, logger, cancellationToken).ConfigureAwait(false);
        var pkcs8 = signingKey.ExportPkcs8();
        try
        {
            if (info.Spec.Algorithm == KeyAlgorithm.Rsa)
            {
                using var rsa = RSA.Create();
                rsa.ImportPkcs8PrivateKey(pkcs8, out _);
                return issued.CopyWithPrivateKey(rsa);
            }

            using var ecdsa = ECDsa.Create();
            ecdsa.ImportPkcs8PrivateKey(pkcs8, out _);
            return issued.CopyWithPrivateKey(ecdsa);
        }
        catch (ArgumentException e)
        {
            // CopyWithPrivateKey refuses a key that is not the certificate's: the row named another key.
            throw new CertificateException(ErrorCodes.StoredCertificateDataInvalid, $"The key {keyId} stored with certificate {record.Id} is not the key it certifies: the row was changed outside KeyInfra.", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    // Reads a certificate the caller may act on; one it may not see is reported as missing after the denial is recorded,
    // one whose row fails its MAC is refused (KI8015) before its owner is believed.
    private async Task<CertificateRecord> RequireAsync(KeyInfraOperation operation, Guid tenantId, Guid certificateId, CancellationToken cancellationToken)
    {
        var stored = await store.Repository.GetCertificateAsync(tenantId, certificateId, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            await access.DemandAsync(operation, tenantId, null, null, null, "", cancellationToken).ConfigureAwait(false);
            throw new CertificateException(ErrorCodes.CertificateNotFound, $"The tenant has no certificate {certificateId}.");
        }

        return await AuthenticAndAllowedAsync(operation, tenantId, stored, cancellationToken).ConfigureAwait(false);
    }

    // The owner decides who may act on a certificate only once its row is known to be KeyInfra's. A row that fails its
    // MAC has no known owner: only a caller allowed across the tenant learns that it was changed (KI8015); anyone else
    // is denied, as for a certificate that does not exist, and the denial is audited.
    private async Task<CertificateRecord> AuthenticAndAllowedAsync(KeyInfraOperation operation, Guid tenantId, CertificateRecord stored, CancellationToken cancellationToken)
    {
        if (!await rows.IsAuthenticAsync(stored, cancellationToken).ConfigureAwait(false))
        {
            await access.DemandAsync(operation, tenantId, null, null, null, "", cancellationToken).ConfigureAwait(false);
            throw CertificateRows.Unauthentic(stored.Id);
        }

        await access.DemandAsync(operation, tenantId, null, null, null, stored.Owner, cancellationToken).ConfigureAwait(false);
        return stored;
    }

    private string OwnerOfCaller() => access.Caller?.StableId ?? "host";

    private static CertificateProfile LeafProfile(string name)
        => CertificateProfile.BuiltIn.FirstOrDefault(p => !p.IsAuthority && string.Equals(p.Name, name, StringComparison.Ordinal))
            ?? throw new CertificateException(ErrorCodes.CertificateProfileViolation,
                $"'{name}' is not a profile certificates are issued under; use one of {string.Join(", ", CertificateProfile.BuiltIn.Where(p => !p.IsAuthority).Select(p => p.Name))}.");

    private static CertificateNames NamesOf(IReadOnlyList<string> dnsNames, IReadOnlyList<IPAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(dnsNames);
        ArgumentNullException.ThrowIfNull(addresses);
        if (dnsNames.Count + addresses.Count > MaxNames)
        {
            throw new CertificateException(ErrorCodes.CertificateProfileViolation, $"A certificate names at most {MaxNames} DNS names and IP addresses.");
        }

        foreach (var name in dnsNames)
        {
            if (name is null || !DnsNames.IsValid(name))
            {
                throw new CertificateException(ErrorCodes.CertificateProfileViolation, $"'{DnsNames.Shorten(name ?? "")}' is not a DNS name.");
            }
        }

        return new CertificateNames([.. dnsNames.Select(n => n.ToLowerInvariant()).Distinct(StringComparer.Ordinal)], [.. addresses.Distinct()]);
    }

    private static CertificateNames NamesOf(X509Certificate2 certificate)
    {
        var extension = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        return extension is null
            ? CertificateNames.None
            : new CertificateNames([.. extension.EnumerateDnsNames()], [.. extension.EnumerateIPAddresses()]);
    }

    private static X500DistinguishedName ParseSubject(string? subject)
    {
        if (string.IsNullOrEmpty(subject))
        {
            return new X500DistinguishedName([0x30, 0x00]);
        }

        try
        {
            return new X500DistinguishedName(subject);
        }
        catch (CryptographicException e)
        {
            throw new CertificateException(ErrorCodes.CertificateProfileViolation, "The subject is not a distinguished name (for example 'CN=switch-01.example.net, O=Example').", e);
        }
    }

    private static CertificateInfo ToInfo(CertificateRecord c)
    {
        var names = c.SubjectAlternativeNames.Length == 0 ? [] : c.SubjectAlternativeNames.Split(',');
        return new CertificateInfo(
            c.Id, c.AuthorityId, c.SerialNumber, c.Owner, c.Subject,
            [.. names.Where(n => !IPAddress.TryParse(n, out _))],
            [.. names.Where(n => IPAddress.TryParse(n, out _))],
            c.NotBefore, c.NotAfter, c.Status, c.Version, c.ProfileName, c.KeyId, c.Der)
        {
            PreviousId = c.PreviousId,
            RenewedAt = c.RenewedAt,
            RenewedBy = c.RenewedBy,
            RenewedById = c.RenewedById,
        };
    }

    private static AuditChange Audited(string action, CertificateInfo? before, CertificateInfo after, params (string Name, string Value)[] extra) => new()
    {
        Action = action,
        TargetType = "certificate",
        TargetId = after.Id.ToString(),
        Before = before is null ? null : State(before),
        After = State(after, extra),
    };

    private static Dictionary<string, string?> State(CertificateInfo c, params (string Name, string Value)[] extra)
    {
        var state = new Dictionary<string, string?>
        {
            ["id"] = c.Id.ToString(),
            ["authority_id"] = c.AuthorityId.ToString(),
            ["serial_number"] = c.SerialNumber,
            ["owner"] = c.Owner,
            ["subject"] = c.Subject.Length <= AuditChange.MaxFieldLength ? c.Subject : c.Subject[..AuditChange.MaxFieldLength],
            ["status"] = c.Status.ToString().ToLowerInvariant(),
            ["version"] = c.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["not_after"] = c.NotAfter.ToString("O"),
            ["profile"] = c.ProfileName,
            ["key_id"] = c.KeyId?.ToString(),
            ["previous_id"] = c.PreviousId?.ToString(),
        };
        foreach (var (name, value) in extra)
        {
            state[name] = value;
        }

        return state;
    }

    private static CertificateException NotExportable(string message) => new(ErrorCodes.PrivateKeyNotExportable, message);
}
