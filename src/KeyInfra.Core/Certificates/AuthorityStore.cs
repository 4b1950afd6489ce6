using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KeyInfra.Caching;
using KeyInfra.Errors;
using KeyInfra.RowAuthentication;
using KeyInfra.Signing;
using KeyInfra.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KeyInfra.Certificates;

/// <summary>
/// What both certificate services share: reading an authority so that only an authentic one signs (its row's MAC, its
/// certificate's key against its KeyInfra key), sealing a changed row, checking a stored certificate against its issuer,
/// and publishing CRLs that never drop a revocation.
/// </summary>
/// <remarks>Thread-safe. Nothing here authorizes: the services do, before they call it.</remarks>
internal sealed class AuthorityStore(
    ICertificateRepository repository,
    IdentityRowAuthenticator rows,
    CertificateRows certificateRows,
    ImportedKeyCache keys,
    Signer signer,
    CertificateMetrics metrics,
    IOptions<KeyInfraOptions> options,
    TimeProvider time,
    ILogger<AuthorityStore> logger)
{
    private const int MaxCrlAttempts = 5;

    public ICertificateRepository Repository => repository;

    /// <summary>Reads an authority and checks it; <c>null</c> if the tenant has none.</summary>
    /// <exception cref="CertificateException">KI8015: the row or its certificate fails a check.</exception>
    public async Task<LoadedAuthority?> LoadAsync(Guid tenantId, Guid authorityId, CancellationToken cancellationToken)
    {
        var record = await repository.GetAuthorityAsync(tenantId, authorityId, cancellationToken).ConfigureAwait(false);
        return record is null ? null : await CheckAsync(record, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads an authority that must exist.</summary>
    /// <exception cref="CertificateException">KI8011 none; KI8015 it fails a check.</exception>
    public async Task<LoadedAuthority> RequireAsync(Guid tenantId, Guid authorityId, CancellationToken cancellationToken)
        => await LoadAsync(tenantId, authorityId, cancellationToken).ConfigureAwait(false)
            ?? throw new CertificateException(ErrorCodes.CertificateAuthorityNotFound, $"The tenant has no certificate authority {authorityId}.");

    /// <summary>Checks a stored authority row: its MAC, its certificate, its key.</summary>
    /// <exception cref="CertificateException">KI8015.</exception>
    public async Task<LoadedAuthority> CheckAsync(CertificateAuthorityRecord record, CancellationToken cancellationToken)
    {
        if (!await rows.IsAuthenticAsync(IdentityRowEncoding.Encode(record), record.Mac, record.MacMasterKeyId, $"certificate_authorities {record.Id}", cancellationToken).ConfigureAwait(false))
        {
            throw Invalid($"The stored row of certificate authority {record.Id} fails its MAC: it was changed outside KeyInfra (or under a master key the source no longer has). It does not sign until restored from a backup.");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(record.CertificateDer);
        }
        catch (CryptographicException e)
        {
            throw Invalid($"The stored certificate of certificate authority {record.Id} does not parse.", e);
        }

        try
        {
            var key = (await keys.GetAsync(record.TenantId, record.KeyId, cancellationToken).ConfigureAwait(false))?.Info
                ?? throw Invalid($"The key {record.KeyId} of certificate authority {record.Id} is gone (deleted in the database): the authority cannot sign.");
            if (!CertificateAuthorityKeys.IsDedicated(key) || !certificate.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.PublicKeySpki.Span))
            {
                throw Invalid($"The certificate of certificate authority {record.Id} does not certify its key {record.KeyId}, or the key is not dedicated to an authority.");
            }

            return new LoadedAuthority(record, certificate, key);
        }
        catch
        {
            certificate.Dispose();
            throw;
        }
    }

    /// <summary>The row with its MAC under the current master key.</summary>
    public async Task<CertificateAuthorityRecord> SealAsync(CertificateAuthorityRecord record, CancellationToken cancellationToken)
    {
        var (mac, masterKeyId) = await rows.SealAsync(IdentityRowEncoding.Encode(record with { Mac = null, MacMasterKeyId = null }), cancellationToken).ConfigureAwait(false);
        return record with { Mac = mac, MacMasterKeyId = masterKeyId };
    }

    /// <summary>The generator that signs with the authority's key, through the signer's authority path.</summary>
    public KeySignatureGenerator GeneratorFor(Guid tenantId, Keys.KeyInfo key)
        => new(new AuthoritySigner(signer, tenantId), key, RsaPadding.Pkcs1);

    /// <summary>The authority's certificate and its parents', nearest first (each parent checked too).</summary>
    public async Task<IReadOnlyList<LoadedAuthority>> ChainAsync(LoadedAuthority authority, CancellationToken cancellationToken)
    {
        var chain = new List<LoadedAuthority> { authority };
        var current = authority;
        while (current.Record.ParentId is { } parentId)
        {
            if (chain.Count > 8)
            {
                throw Invalid($"The parents of certificate authority {authority.Record.Id} form a loop or a chain deeper than 8.");
            }

            current = await LoadAsync(authority.Record.TenantId, parentId, cancellationToken).ConfigureAwait(false)
                ?? throw Invalid($"The parent {parentId} of certificate authority {current.Record.Id} is gone.");
            chain.Add(current);
        }

        return chain;
    }

    /// <summary>
    /// Reads a stored certificate's DER and checks it was issued by <paramref name="chain"/>'s first authority (its
    /// signature, through the chain to the root, at its own start time), and that its columns say what it says.
    /// </summary>
    /// <exception cref="CertificateException">KI8015.</exception>
    public static X509Certificate2 CheckIssued(CertificateRecord record, IReadOnlyList<LoadedAuthority> chain)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(record.Der);
        }
        catch (CryptographicException e)
        {
            throw Invalid($"The stored DER of certificate {record.Id} does not parse.", e);
        }

        using var verifier = new X509Chain();
        verifier.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        verifier.ChainPolicy.CustomTrustStore.Add(chain[^1].Certificate);
        for (var i = 0; i < chain.Count - 1; i++)
        {
            verifier.ChainPolicy.ExtraStore.Add(chain[i].Certificate);
        }

        verifier.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        verifier.ChainPolicy.VerificationTime = certificate.NotBefore.AddSeconds(1);
        verifier.ChainPolicy.VerificationTimeIgnored = false;
        var built = verifier.Build(certificate)
            && certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true };
        var issuedByAuthority = verifier.ChainElements.Count >= 2
            && verifier.ChainElements[1].Certificate.RawDataMemory.Span.SequenceEqual(chain[0].Certificate.RawDataMemory.Span);
        if (!built || !issuedByAuthority
            || !string.Equals(SerialText(certificate.SerialNumberBytes.Span), record.SerialNumber, StringComparison.Ordinal)
            || certificate.NotAfter.ToUniversalTime() != record.NotAfter.UtcDateTime)
        {
            var status = string.Join(", ", verifier.ChainStatus.Select(s => s.Status));
            certificate.Dispose();
            throw Invalid($"The stored certificate {record.Id} was not issued by its authority {record.AuthorityId} as a device's, or its row does not match its DER ({(status.Length == 0 ? "columns differ, or it is an authority's" : status)}): it was changed outside KeyInfra.");
        }

        return certificate;
    }

    /// <summary>
    /// Publishes the authority's next CRL: the last one's entries (checked against the authority's authenticated hash),
    /// plus every stored revocation, signed by the authority's key. Retried on a concurrent publication.
    /// </summary>
    public async Task<CertificateRevocationListInfo> PublishCrlAsync(LoadedAuthority authority, CancellationToken cancellationToken)
    {
        var current = authority;
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var record = current.Record;
            var last = await LastCrlAsync(record, cancellationToken).ConfigureAwait(false);
            var builder = EntriesOf(last);

            // A second copy of the previous entries, only to ask whether a serial is already on the CRL.
            var carried = EntriesOf(last);
            // Only revocations KeyInfra made (their rows' MACs hold): a row a writer added never reaches a signed CRL.
            foreach (var revocation in await certificateRows.ListRevocationsAsync(record.TenantId, record.Id, cancellationToken).ConfigureAwait(false))
            {
                // An entry the last CRL carries stays as signed: a stored row cannot change its reason or date.
                var serial = ParseSerial(revocation.SerialNumber, record.Id);
                if (!carried.RemoveEntry(serial))
                {
                    builder.AddEntry(serial, revocation.RevokedAt, revocation.Reason);
                }
            }

            var certificateOptions = options.Value.Certificates;
            var thisUpdate = Truncate(time.GetUtcNow());
            var nextUpdate = thisUpdate + certificateOptions.CrlValidity;
            var number = record.CrlNumber + 1;
            var aki = current.Certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault() is { } ski
                ? X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(ski)
                : throw Invalid($"The certificate of certificate authority {record.Id} has no subject key identifier.");
            var der = await Task.Run(
                () => builder.Build(current.Certificate.SubjectName, GeneratorFor(record.TenantId, current.Key), new BigInteger(number), nextUpdate, current.Hash, aki, thisUpdate),
                cancellationToken).ConfigureAwait(false);
            var updated = await SealAsync(
                record with { CrlNumber = number, LastCrlSha256 = SHA256.HashData(der), NextCrlDue = nextUpdate - certificateOptions.CrlRefreshMargin, Version = record.Version + 1 },
                cancellationToken).ConfigureAwait(false);
            var crl = new CertificateRevocationListRecord(record.TenantId, record.Id, number, thisUpdate, nextUpdate, der);
            if (await repository.AddCrlAsync(crl, updated, record.Version, cancellationToken).ConfigureAwait(false))
            {
                Diagnostics.Log.CrlPublished(logger, record.Id, record.TenantId, number);
                metrics.CrlPublished();
                return ToInfo(crl);
            }

            if (attempt == MaxCrlAttempts)
            {
                throw new CertificateException(ErrorCodes.CertificateStateConflict, $"Certificate authority {record.Id} changed {MaxCrlAttempts} times while its CRL was being published; try again.");
            }

            current = await RequireAsync(record.TenantId, record.Id, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The authority's last CRL, checked against its authenticated hash, with the dates its DER carries; <c>null</c> before the first.</summary>
    /// <exception cref="CertificateException">KI8015: it is missing or another one.</exception>
    public async Task<CertificateRevocationListRecord?> LastCrlAsync(CertificateAuthorityRecord record, CancellationToken cancellationToken)
    {
        if (record.CrlNumber == 0)
        {
            return null;
        }

        var crl = await repository.GetCrlAsync(record.TenantId, record.Id, record.CrlNumber, cancellationToken).ConfigureAwait(false);
        if (crl is null || record.LastCrlSha256 is null || !CryptographicOperations.FixedTimeEquals(SHA256.HashData(crl.Der), record.LastCrlSha256))
        {
            throw Invalid($"CRL {record.CrlNumber} of certificate authority {record.Id} is {(crl is null ? "missing" : "not the one it published")}: it was deleted or changed in the database. " +
                "KeyInfra publishes no CRL that could drop a revocation; restore the row from a backup.");
        }

        // The dates come from the checked DER: the columns beside it are copies a writer could move.
        var (thisUpdate, nextUpdate) = CrlDates.Read(crl.Der);
        return crl with { ThisUpdate = thisUpdate, NextUpdate = nextUpdate };
    }

    public static CertificateRevocationListInfo ToInfo(CertificateRevocationListRecord crl) => new(crl.AuthorityId, crl.Number, crl.ThisUpdate, crl.NextUpdate, crl.Der);

    /// <summary>Serial number text as stored: lower-case hexadecimal, big-endian as in the DER.</summary>
    public static string SerialText(ReadOnlySpan<byte> serial) => Convert.ToHexStringLower(serial);

    // X.509 times have whole seconds (UTCTime / GeneralizedTime without fractions): stored times match what is signed.
    public static DateTimeOffset Truncate(DateTimeOffset value) => new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    /// <summary>Whether <paramref name="serial"/> is revoked: on the authority's authentic stored revocations, or on its authenticated last CRL.</summary>
    public async Task<bool> IsRevokedAsync(LoadedAuthority authority, string serial, CancellationToken cancellationToken)
    {
        var record = authority.Record;
        if ((await certificateRows.ListRevocationsAsync(record.TenantId, record.Id, cancellationToken).ConfigureAwait(false)).Any(r => string.Equals(r.SerialNumber, serial, StringComparison.Ordinal)))
        {
            return true;
        }

        return EntriesOf(await LastCrlAsync(record, cancellationToken).ConfigureAwait(false)).RemoveEntry(Convert.FromHexString(serial));
    }

    private static byte[] ParseSerial(string serial, Guid authorityId)
    {
        try
        {
            return Convert.FromHexString(serial);
        }
        catch (FormatException e)
        {
            throw Invalid($"A stored revocation of certificate authority {authorityId} has the serial '{(serial.Length <= 40 ? serial : serial[..40])}', which is not hexadecimal: it was written outside KeyInfra.", e);
        }
    }

    // The entries of the last CRL (whose hash LastCrlAsync matched to the authenticated one: what KeyInfra signed last time).
    private static CertificateRevocationListBuilder EntriesOf(CertificateRevocationListRecord? last)
        => last is null ? new CertificateRevocationListBuilder() : CertificateRevocationListBuilder.Load(last.Der, out _);

    private static CertificateException Invalid(string message, Exception? inner = null) => new(ErrorCodes.StoredCertificateDataInvalid, message, inner);
}
