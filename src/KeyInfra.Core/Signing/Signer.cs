using System.Security.Cryptography;
using KeyInfra.Caching;
using KeyInfra.Cryptography;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Tenancy;
using Microsoft.Extensions.Options;

namespace KeyInfra.Signing;

/// <summary>Signs with software keys, decrypted once and kept for a bounded time by <see cref="SigningKeyCache"/>.</summary>
internal sealed class Signer(SigningKeyCache keys, ITenantContext tenant, IOptions<KeyInfraOptions> options, TimeProvider time) : ISigner
{
    public async Task<SignResult> SignAsync(SignRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var input = request.Data ?? request.Hash ?? default;
        if (input.Length > options.Value.MaxDocumentSize)
        {
            throw new ArgumentException($"The document is {input.Length} bytes, over the {options.Value.MaxDocumentSize}-byte limit (MaxDocumentSize). Hash it and sign the hash instead (SignRequest.ForHash).", nameof(request));
        }

        var lease = await keys.AcquireAsync(tenant.TenantId, request.KeyId, cancellationToken).ConfigureAwait(false);
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
            var parameters = new SignatureParameters(
                request.Options?.HashAlgorithm ?? spec.DefaultHashAlgorithm,
                request.Options?.Encoding ?? info.DefaultSignatureEncoding,
                request.Options?.RsaPadding ?? info.DefaultRsaPadding,
                request.Options?.PssSaltLength ?? info.DefaultPssSaltLength);
            if (spec.Algorithm != KeyAlgorithm.EdDsa && !IsSupportedHash(parameters.Hash))
            {
                ThrowHelper.SignRequestInvalid($"The hash algorithm '{parameters.Hash.Name}' is not supported; use SHA256, SHA384 or SHA512.", nameof(request));
            }

            var signature = lease.Key.Sign(input.Span, request.Hash is not null, parameters);
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

    private static bool IsSupportedHash(HashAlgorithmName hash)
        => hash == HashAlgorithmName.SHA256 || hash == HashAlgorithmName.SHA384 || hash == HashAlgorithmName.SHA512;
}
