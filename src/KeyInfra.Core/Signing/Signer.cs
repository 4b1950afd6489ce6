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
internal sealed class Signer(SigningKeyCache keys, ITenantContext tenant, AccessGuard access, IOptions<KeyInfraOptions> options, TimeProvider time, KeyInfraMetrics metrics) : ISigner
{
    public async Task<SignResult> SignAsync(SignRequest request, CancellationToken cancellationToken = default)
    {
        try
        {
            var result = await SignCoreAsync(request, cancellationToken).ConfigureAwait(false);
            metrics.Signed(result.Spec);
            return result;
        }
        catch (Exception e)
        {
            metrics.SignFailed(e);
            throw;
        }
    }

    private async Task<SignResult> SignCoreAsync(SignRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.Data ?? request.Hash ?? default;
        if (input.Length > options.Value.MaxDocumentSize)
        {
            throw new ArgumentException($"The document is {input.Length} bytes, over the {options.Value.MaxDocumentSize}-byte limit (MaxDocumentSize). Hash it and sign the hash instead (SignRequest.ForHash).", nameof(request));
        }

        var tenantId = tenant.TenantId;
        var lease = await keys.AcquireAsync(tenantId, request.KeyId, cancellationToken).ConfigureAwait(false);
        await AuthorizeAsync(tenantId, request.KeyId, lease, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            ThrowHelper.KeyNotFound(request.KeyId);
        }

        try
        {
            var info = lease.Info;
            switch (info.EffectiveStatus(time.GetUtcNow()))
            {
                case KeyStatus.Revoked:
                    ThrowHelper.KeyRevoked(info.Id);
                    break;
                case KeyStatus.Expired:
                    ThrowHelper.KeyExpired(info.Id);
                    break;
            }

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

    // Asked with the key in hand (its owner, ring and metadata are the authorizer's to judge), before its state is
    // checked: a denied caller is told it is denied, not whether the key exists or is revoked.
    private async ValueTask AuthorizeAsync(Guid tenantId, KeyId keyId, SigningKeyLease? lease, CancellationToken cancellationToken)
    {
        try
        {
            await access.DemandAsync(KeyInfraOperation.Sign, tenantId, keyId, lease?.Info, null, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            lease?.Release();
            throw;
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
