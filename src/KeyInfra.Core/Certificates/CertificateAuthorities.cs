using System.Security.Cryptography.X509Certificates;
using KeyInfra.Audit;
using KeyInfra.Authorization;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Storage;
using KeyInfra.Tenancy;

namespace KeyInfra.Certificates;

/// <summary>The engine's <see cref="ICertificateAuthorities"/>.</summary>
internal sealed class CertificateAuthorities(
    AuthorityStore store,
    IKeyStore keyStore,
    ITenantContext tenant,
    AccessGuard access,
    AuditRecorder audit,
    TimeProvider time) : ICertificateAuthorities
{
    public Task<CertificateAuthorityInfo> CreateRootAsync(CreateCertificateAuthorityRequest request, CancellationToken cancellationToken = default)
        => CreateAsync(null, request, cancellationToken);

    public Task<CertificateAuthorityInfo> CreateIntermediateAsync(Guid parentId, CreateCertificateAuthorityRequest request, CancellationToken cancellationToken = default)
        => CreateAsync(parentId, request, cancellationToken);

    public async Task<CertificateAuthorityInfo?> GetAsync(Guid authorityId, CancellationToken cancellationToken = default)
    {
        var tenantId = tenant.TenantId;
        await access.DemandAsync(KeyInfraOperation.ReadCertificateAuthorities, tenantId, null, null, null, cancellationToken).ConfigureAwait(false);
        return (await store.LoadAsync(tenantId, authorityId, cancellationToken).ConfigureAwait(false))?.ToInfo();
    }

    public async Task<CertificateAuthorityInfo?> FindAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var tenantId = tenant.TenantId;
        await access.DemandAsync(KeyInfraOperation.ReadCertificateAuthorities, tenantId, null, null, null, cancellationToken).ConfigureAwait(false);
        var record = await store.Repository.FindAuthorityAsync(tenantId, name, cancellationToken).ConfigureAwait(false);
        return record is null ? null : (await store.CheckAsync(record, cancellationToken).ConfigureAwait(false)).ToInfo();
    }

    public async Task<IReadOnlyList<CertificateAuthorityInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        var tenantId = tenant.TenantId;
        await access.DemandAsync(KeyInfraOperation.ReadCertificateAuthorities, tenantId, null, null, null, cancellationToken).ConfigureAwait(false);
        var list = new List<CertificateAuthorityInfo>();
        foreach (var record in await store.Repository.ListAuthoritiesAsync(tenantId, cancellationToken).ConfigureAwait(false))
        {
            list.Add((await store.CheckAsync(record, cancellationToken).ConfigureAwait(false)).ToInfo());
        }

        return list;
    }

    public async Task<CertificateRevocationListInfo> PublishCrlAsync(Guid authorityId, CancellationToken cancellationToken = default)
    {
        var tenantId = tenant.TenantId;
        await access.DemandAsync(KeyInfraOperation.ManageCertificateAuthorities, tenantId, null, null, null, cancellationToken).ConfigureAwait(false);
        var authority = await store.RequireAsync(tenantId, authorityId, cancellationToken).ConfigureAwait(false);
        var crl = await store.PublishCrlAsync(authority, cancellationToken).ConfigureAwait(false);
        await audit.ChangeAsync(new AuditChange
        {
            Action = AuditActions.CrlPublish,
            TargetType = "certificate_authority",
            TargetId = authorityId.ToString(),
            Before = new Dictionary<string, string?> { ["crl_number"] = authority.Record.CrlNumber.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            After = new Dictionary<string, string?> { ["crl_number"] = crl.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), ["next_update"] = crl.NextUpdate.ToString("O") },
        }, cancellationToken).ConfigureAwait(false);
        return crl;
    }

    public async Task<CertificateRevocationListInfo?> GetCrlAsync(Guid authorityId, CancellationToken cancellationToken = default)
    {
        var tenantId = tenant.TenantId;
        await access.DemandAsync(KeyInfraOperation.ReadCertificateAuthorities, tenantId, null, null, null, cancellationToken).ConfigureAwait(false);
        var authority = await store.RequireAsync(tenantId, authorityId, cancellationToken).ConfigureAwait(false);
        var crl = await store.LastCrlAsync(authority.Record, cancellationToken).ConfigureAwait(false);
        return crl is null ? null : AuthorityStore.ToInfo(crl);
    }

    public async Task<IReadOnlyList<ReadOnlyMemory<byte>>> GetChainAsync(Guid authorityId, CancellationToken cancellationToken = default)
    {
        var tenantId = tenant.TenantId;
        await access.DemandAsync(KeyInfraOperation.ReadCertificateAuthorities, tenantId, null, null, null, cancellationToken).ConfigureAwait(false);
        var authority = await store.RequireAsync(tenantId, authorityId, cancellationToken).ConfigureAwait(false);
        return [.. (await store.ChainAsync(authority, cancellationToken).ConfigureAwait(false)).Select(a => (ReadOnlyMemory<byte>)a.Record.CertificateDer)];
    }

    private async Task<CertificateAuthorityInfo> CreateAsync(Guid? parentId, CreateCertificateAuthorityRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Name);
        if (request.Name.Length > 200)
        {
            throw new ArgumentException("An authority's name is 1–200 characters.", nameof(request));
        }

        if (request.CrlDistributionPoint is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https" or "ldap")))
        {
            throw new ArgumentException("A CRL distribution point is an absolute http, https or ldap URL.", nameof(request));
        }

        var subject = ParseSubject(request.Subject);
        var tenantId = tenant.TenantId;
        await access.DemandAsync(KeyInfraOperation.ManageCertificateAuthorities, tenantId, null, null, null, cancellationToken).ConfigureAwait(false);
        if (await store.Repository.FindAuthorityAsync(tenantId, request.Name, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw NameTaken(request.Name);
        }

        var parent = parentId is { } id ? await store.RequireAsync(tenantId, id, cancellationToken).ConfigureAwait(false) : null;
        var profile = parent is null ? CertificateProfile.RootAuthority : CertificateProfile.IntermediateAuthority;

        // The lifetime is settled before a key is made for it, so a refused authority leaves no key behind.
        var notBefore = AuthorityStore.Truncate(time.GetUtcNow());
        DateTimeOffset notAfter;
        if (parent is null)
        {
            notAfter = notBefore + (request.Validity ?? s_defaultRootValidity);
        }
        else
        {
            var parentEnd = parent.Certificate.NotAfter.ToUniversalTime();
            if (parentEnd <= notBefore)
            {
                throw new CertificateException(ErrorCodes.CertificateProfileViolation,
                    $"The parent authority '{parent.Record.Name}' expired at {parentEnd:O}: it certifies nothing more. Create the intermediate under a current authority.");
            }

            notAfter = request.Validity is { } validity ? notBefore + validity : Min(notBefore + s_defaultIntermediateValidity, parentEnd);
            if (notAfter > parentEnd)
            {
                throw new CertificateException(ErrorCodes.CertificateProfileViolation,
                    $"The authority would be valid until {notAfter:O}, after its parent '{parent.Record.Name}' expires ({parentEnd:O}); give a shorter Validity or none.");
            }
        }

        CertificateIssuer.CheckValidity(profile, (notBefore, notAfter));

        var key = await KeyForAsync(request, cancellationToken).ConfigureAwait(false);
        var signerKey = parent?.Key ?? key;
        var publicKey = PublicKey.CreateFromSubjectPublicKeyInfo(key.PublicKeySpki.Span, out _);
        using var certificate = await Task.Run(
            () => CertificateIssuer.Issue(
                profile,
                subject,
                publicKey,
                CertificateNames.None,
                parent?.Certificate,
                store.GeneratorFor(tenantId, signerKey),
                LoadedAuthority.HashFor(signerKey.Spec),
                (notBefore, notAfter),
                CertificateSerialNumber.New(),
                parent?.CrlDistributionPoint),
            cancellationToken).ConfigureAwait(false);
        var record = await store.SealAsync(
            new CertificateAuthorityRecord
            {
                Id = Guid.CreateVersion7(notBefore),
                TenantId = tenantId,
                Name = request.Name,
                KeyId = key.Id,
                ParentId = parent?.Record.Id,
                ProfileName = profile.Name,
                CertificateDer = certificate.RawData,
                NotAfter = certificate.NotAfter.ToUniversalTime(),
                CrlDistributionPoint = request.CrlDistributionPoint?.AbsoluteUri,
                CreatedAt = notBefore,
            },
            cancellationToken).ConfigureAwait(false);
        if (!await store.Repository.AddAuthorityAsync(record, cancellationToken).ConfigureAwait(false))
        {
            throw NameTaken(request.Name);
        }

        var loaded = await store.CheckAsync(record, cancellationToken).ConfigureAwait(false);
        await audit.ChangeAsync(new AuditChange
        {
            Action = AuditActions.CertificateAuthorityCreate,
            TargetType = "certificate_authority",
            TargetId = record.Id.ToString(),
            After = new Dictionary<string, string?>
            {
                ["name"] = record.Name,
                ["subject"] = loaded.Certificate.Subject,
                ["key_id"] = key.Id.ToString(),
                ["parent_id"] = record.ParentId?.ToString(),
                ["profile"] = profile.Name,
                ["not_after"] = record.NotAfter.ToString("O"),
            },
        }, cancellationToken).ConfigureAwait(false);

        // A fresh authority has a CRL at once, so relying parties that check revocation accept its certificates.
        await store.PublishCrlAsync(loaded, cancellationToken).ConfigureAwait(false);
        return (await store.RequireAsync(tenantId, record.Id, cancellationToken).ConfigureAwait(false)).ToInfo();
    }

    private async Task<KeyInfo> KeyForAsync(CreateCertificateAuthorityRequest request, CancellationToken cancellationToken)
    {
        KeyInfo key;
        if (request.ExistingKey is { } existing)
        {
            key = await keyStore.GetAsync(existing, cancellationToken).ConfigureAwait(false)
                ?? throw KeyInvalid($"There is no key {existing}.");
            if (!CertificateAuthorityKeys.IsDedicated(key))
            {
                throw KeyInvalid($"Key {existing} is not dedicated to a certificate authority: create it with the metadata '{CertificateAuthorityKeys.PurposeMetadataKey}' = '{CertificateAuthorityKeys.CertificateAuthorityPurpose}' (or let KeyInfra generate the authority's key). A key that signs other things is never an authority's.");
            }
        }
        else
        {
            CheckSpec(request.KeySpec);
            key = await keyStore.CreateAsync(
                new CreateKeyRequest(request.KeySpec, $"ca-{request.Name}".Length <= 200 ? $"ca-{request.Name}" : request.Name)
                {
                    Backend = request.KeyBackend,
                    BackendOptions = request.KeyBackendOptions,
                    Metadata = new Dictionary<string, string> { [CertificateAuthorityKeys.PurposeMetadataKey] = CertificateAuthorityKeys.CertificateAuthorityPurpose },
                },
                cancellationToken).ConfigureAwait(false);
        }

        CheckSpec(key.Spec);
        if ((await store.Repository.ListAuthoritiesAsync(tenant.TenantId, cancellationToken).ConfigureAwait(false)).Any(a => a.KeyId == key.Id))
        {
            throw new CertificateException(ErrorCodes.CertificateAuthorityNameTaken, $"Key {key.Id} already serves another certificate authority; one key, one authority.");
        }

        if (!key.HasPrivateKey)
        {
            throw KeyInvalid($"Key {key.Id} has no private key in KeyInfra, so it cannot sign certificates.");
        }

        return key;
    }

    private static readonly TimeSpan s_defaultRootValidity = TimeSpan.FromDays(3650);

    // Shorter than a root's so that an intermediate made right after its root still ends first, with room to issue a successor.
    private static readonly TimeSpan s_defaultIntermediateValidity = TimeSpan.FromDays(1825);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static void CheckSpec(KeySpec spec)
    {
        var allowed = spec.Algorithm == KeyAlgorithm.Rsa ? spec.KeySizeBits >= 2048
            : spec.Algorithm == KeyAlgorithm.EdDsa || spec.Curve is KeyCurve.P256 or KeyCurve.P384 or KeyCurve.P521;
        if (!allowed)
        {
            throw KeyInvalid($"A certificate authority's key is ECDSA P-256, P-384 or P-521, RSA of 2048 bits or more, or Ed25519; not {spec.Name}.");
        }
    }

    private static X500DistinguishedName ParseSubject(string subject)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        try
        {
            var name = new X500DistinguishedName(subject);
            if (name.RawData.Length <= 2)
            {
                throw new ArgumentException("An authority's subject names it (for example 'CN=Example Root CA, O=Example').", nameof(subject));
            }

            return name;
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new ArgumentException($"'{subject}' is not a distinguished name (for example 'CN=Example Root CA, O=Example').", nameof(subject), e);
        }
    }

    private static CertificateException NameTaken(string name)
        => new(ErrorCodes.CertificateAuthorityNameTaken, $"The tenant already has a certificate authority named '{name}'.");

    private static CertificateException KeyInvalid(string message) => new(ErrorCodes.CertificateAuthorityKeyInvalid, message);
}
