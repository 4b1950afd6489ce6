using System.Security.Cryptography;
using KeyInfra.Authorization;
using KeyInfra.Caching;
using KeyInfra.Cryptography;
using KeyInfra.Diagnostics;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Tenancy;
using Microsoft.Extensions.Options;

namespace KeyInfra.Signing;

/// <summary>
/// Signs with the key's private-key backend, through handles opened (and, where they allow it, kept for a bounded
/// time) by <see cref="SigningKeyCache"/>.
/// </summary>
/// <remarks>
/// Nothing private is read or decrypted before the request is known to be allowed and the key usable: the caller is
/// authorized, and the key's status and expiry checked, on its public entry from <see cref="ImportedKeyCache"/> (the
/// cache verification uses, invalidated with the signing cache, and holding no private key material). A key read
/// from storage to be opened is checked again before it is decrypted, and a cached opened key is checked again on its
/// own entry before it signs, so a revocation that lands between the steps is not missed either.
/// </remarks>
internal sealed class Signer(
    ImportedKeyCache publicKeys,
    SigningKeyCache keys,
    ITenantContext tenant,
    AccessGuard access,
    CurvePolicy curves,
    IOptions<KeyInfraOptions> options,
    TimeProvider time,
    KeyInfraMetrics metrics) : ISigner
{
    private readonly Action<KeyInfo> _checkUsable = info => CheckUsable(info, time.GetUtcNow());

    public Task<SignResult> SignAsync(SignRequest request, CancellationToken cancellationToken = default)
        => SignAsync(request, tenant.TenantId, forAuthority: false, cancellationToken);

    /// <summary>
    /// Signs a certificate's or CRL's to-be-signed bytes with a certificate authority's key, for the certificate services
    /// alone: they have authorized the operation (issuing, renewing, publishing) and built what is signed, so the caller's
    /// Sign permission on the key is not asked; the key must be dedicated to an authority (<see cref="Certificates.CertificateAuthorityKeys"/>).
    /// </summary>
    internal Task<SignResult> SignForAuthorityAsync(Guid tenantId, SignRequest request, CancellationToken cancellationToken)
        => SignAsync(request, tenantId, forAuthority: true, cancellationToken);

    private async Task<SignResult> SignAsync(SignRequest request, Guid tenantId, bool forAuthority, CancellationToken cancellationToken)
    {
        try
        {
            var result = await SignCoreAsync(request, tenantId, forAuthority, cancellationToken).ConfigureAwait(false);
            metrics.Signed(result.Spec);
            return result;
        }
        catch (Exception e)
        {
            metrics.SignFailed(e);
            throw;
        }
    }

    // Refuses a key that cannot sign now: revoked, expired, or without a private key here.
    private static void CheckUsable(KeyInfo info, DateTimeOffset now)
    {
        switch (info.EffectiveStatus(now))
        {
            case KeyStatus.Revoked:
                ThrowHelper.KeyRevoked(info.Id);
                break;
            case KeyStatus.Expired:
                ThrowHelper.KeyExpired(info.Id);
                break;
        }

        if (!info.HasPrivateKey)
        {
            ThrowHelper.NoPrivateKey(info.Id);
        }
    }

    private async Task<SignResult> SignCoreAsync(SignRequest request, Guid tenantId, bool forAuthority, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.Data ?? request.Hash ?? default;
        if (input.Length > options.Value.MaxDocumentSize)
        {
            throw new ArgumentException($"The document is {input.Length} bytes, over the {options.Value.MaxDocumentSize}-byte limit (MaxDocumentSize). Hash it and sign the hash instead (SignRequest.ForHash).", nameof(request));
        }

        // Asked with the key's public entry in hand (its owner, ring and metadata are the authorizer's to judge), before
        // its state is checked: a denied caller is told it is denied, not whether the key exists or is revoked; and
        // before any private key is read or decrypted.
        var key = await publicKeys.GetAsync(tenantId, request.KeyId, cancellationToken).ConfigureAwait(false);
        if (!forAuthority)
        {
            await access.DemandAsync(KeyInfraOperation.Sign, tenantId, request.KeyId, key?.Info, null, cancellationToken).ConfigureAwait(false);
        }

        if (key is null)
        {
            ThrowHelper.KeyNotFound(request.KeyId);
        }

        // One key, one purpose: an authority's key signs what the certificate services build, and nothing else.
        if (Certificates.CertificateAuthorityKeys.IsDedicated(key.Info) != forAuthority)
        {
            throw new KeyInfraException(ErrorCodes.KeyReservedForCertificateAuthority, forAuthority
                ? $"Key {request.KeyId} is not dedicated to a certificate authority (key metadata '{Certificates.CertificateAuthorityKeys.PurposeMetadataKey}'), so it does not sign certificates or CRLs."
                : $"Key {request.KeyId} is dedicated to a certificate authority: it signs only the certificates and CRLs that ICertificateStore and ICertificateAuthorities issue. Sign with a key of your own.");
        }

        _checkUsable(key.Info);
        await curves.DemandEnabledAsync(key.Info.Spec, cancellationToken).ConfigureAwait(false);
        var lease = await keys.AcquireAsync(tenantId, request.KeyId, _checkUsable, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            // Deleted since its public entry was cached.
            ThrowHelper.KeyNotFound(request.KeyId);
        }

        try
        {
            var info = lease.Info;
            _checkUsable(info);
            var spec = info.Spec;
            var parameters = SignatureParameterResolver.Resolve(info, request.Options);
            if (spec.Algorithm != KeyAlgorithm.EdDsa && !IsSupportedHash(parameters.Hash))
            {
                ThrowHelper.SignRequestInvalid($"The hash algorithm '{parameters.Hash.Name}' is not supported; use SHA256, SHA384 or SHA512.", nameof(request));
            }

            var signature = await lease.Handle.SignAsync(input, request.Hash is not null, parameters, cancellationToken).ConfigureAwait(false);
            if (info.RequireLowS && spec.Algorithm == KeyAlgorithm.Ecdsa)
            {
                signature = ToLowS(spec, signature, parameters.Encoding);
            }
            return new SignResult(
                info.Id,
                spec,
                signature,
                spec.Algorithm == KeyAlgorithm.Ecdsa ? parameters.Encoding : null,
                spec.Algorithm == KeyAlgorithm.EdDsa ? null : parameters.Hash.Name,
                spec.Algorithm == KeyAlgorithm.Rsa ? parameters.Padding : null)
            {
                PssSaltLength = spec.Algorithm == KeyAlgorithm.Rsa && parameters.Padding == RsaPadding.Pss
                    ? parameters.PssSaltLength ?? SignatureHash.GetSize(parameters.Hash)
                    : null,
            };
        }
        finally
        {
            lease.Release();
        }
    }

    // Whatever backend signed (the platform's ECDSA makes high S half the time), a key that requires low S gets its
    // (r, n − s) form, which is the same signature for every other verifier.
    private static byte[] ToLowS(KeySpec spec, byte[] signature, SignatureEncoding encoding)
    {
        var curve = EcCurveInfo.For(spec);
        var p1363 = new byte[2 * curve.FieldBytes];
        if (encoding == SignatureEncoding.P1363 && signature.Length == p1363.Length)
        {
            signature.CopyTo(p1363, 0);
        }
        else if (encoding != SignatureEncoding.Der || !EcdsaSignatureEncoding.TryDerToP1363(signature, curve.FieldBytes, p1363))
        {
            ThrowHelper.SignRequestInvalid($"The private-key backend returned a signature that is not a {encoding} ECDSA signature on {spec.Name}.", nameof(signature));
        }

        if (!EcdsaSignatureEncoding.IsHighS(p1363, curve))
        {
            return signature;
        }

        EcdsaSignatureEncoding.NormalizeToLowS(p1363, curve);
        return encoding == SignatureEncoding.Der ? EcdsaSignatureEncoding.P1363ToDer(p1363) : p1363;
    }

    private static bool IsSupportedHash(HashAlgorithmName hash)
        => hash == HashAlgorithmName.SHA256 || hash == HashAlgorithmName.SHA384 || hash == HashAlgorithmName.SHA512;
}
