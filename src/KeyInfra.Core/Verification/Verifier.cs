using System.Diagnostics;
using System.Security.Cryptography;
using KeyInfra.Authorization;
using KeyInfra.Caching;
using KeyInfra.Cryptography;
using KeyInfra.Diagnostics;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Tenancy;
using Microsoft.Extensions.Options;

namespace KeyInfra.Verification;

/// <summary>
/// The hot path: resolve the imported key from the cache, check its state against the clock, verify with
/// the platform, and hand the outcome to the log.
/// </summary>
internal sealed class Verifier(
    ImportedKeyCache keys,
    IVerificationLogWriter log,
    ITenantContext tenant,
    AccessGuard access,
    CurvePolicy curves,
    IOptions<KeyInfraOptions> options,
    TimeProvider time,
    KeyInfraMetrics metrics) : IVerifier
{
    private readonly KeyInfraOptions _options = options.Value;

    public async Task<VerificationResult> VerifyAsync(VerificationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var startedAt = Stopwatch.GetTimestamp();
        CheckSizes(request);
        var tenantId = tenant.TenantId;
        var caller = access.Caller;
        var (key, tampered) = await ResolveAsync(tenantId, request.KeyId, cancellationToken).ConfigureAwait(false);
        var decision = await access.CheckAsync(new AuthorizationRequest(KeyInfraOperation.Verify, caller, tenantId, request.KeyId, key?.Info), cancellationToken).ConfigureAwait(false);
        var curveEnabled = key is null || await curves.IsEnabledAsync(key.Info.Spec.Curve, cancellationToken).ConfigureAwait(false);
        if (!LogsRecords)
        {
            // Nothing is recorded, so build no record: no signature hash, no hash arrays, no record object.
            var status = Refine(CheckOnly(request, key, decision.IsAllowed, curveEnabled, time.GetUtcNow()), tampered);
            metrics.Verified(status, key?.Info.Spec, startedAt);
            return new VerificationResult(request.KeyId, status, null) { Detail = decision.IsAllowed ? Diagnose(request, key, status) : decision.Reason };
        }

        var record = Verify(request, key, tampered, decision, curveEnabled, caller, tenantId, Guid.CreateVersion7(), time.GetUtcNow());
        await log.AppendAsync(record, cancellationToken).ConfigureAwait(false);
        metrics.Verified(record.Status, key?.Info.Spec, startedAt);
        return new VerificationResult(request.KeyId, record.Status, record.Id) { Detail = record.Detail };
    }

    public async Task<BatchVerificationResult> VerifyBatchAsync(
        IReadOnlyList<VerificationRequest> requests,
        string? caller = null,
        IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (requests.Count > _options.VerificationLog.MaxBatchRequests)
        {
            throw new ArgumentException($"A batch holds at most {_options.VerificationLog.MaxBatchRequests} requests (VerificationLog.MaxBatchRequests); this one has {requests.Count}. Split it.", nameof(requests));
        }

        for (var i = 0; i < requests.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(requests[i], $"{nameof(requests)}[{i}]");
            CheckSizes(requests[i]);
        }

        CheckCaller(caller);
        var tenantId = tenant.TenantId;
        var current = access.Caller;
        var startedAt = time.GetUtcNow();

        // Keys first (async, cached) and whether the caller may use each, then the CPU-bound checks on every core.
        var resolved = new Dictionary<KeyId, ResolvedKey?>();
        var decisions = new Dictionary<KeyId, AuthorizationDecision>();
        var tamperedKeys = new HashSet<KeyId>();
        var disabledCurveKeys = new HashSet<KeyId>();
        foreach (var request in requests)
        {
            if (!resolved.ContainsKey(request.KeyId))
            {
                var (key, tampered) = await ResolveAsync(tenantId, request.KeyId, cancellationToken).ConfigureAwait(false);
                resolved[request.KeyId] = key;
                if (tampered)
                {
                    tamperedKeys.Add(request.KeyId);
                }

                decisions[request.KeyId] = await access.CheckAsync(new AuthorizationRequest(KeyInfraOperation.Verify, current, tenantId, request.KeyId, key?.Info), cancellationToken).ConfigureAwait(false);
                if (key is not null && !await curves.IsEnabledAsync(key.Info.Spec.Curve, cancellationToken).ConfigureAwait(false))
                {
                    disabledCurveKeys.Add(request.KeyId);
                }
            }
        }

        var items = new VerificationRecord[requests.Count];
        var done = 0;
        var reportEvery = Math.Max(1, requests.Count / 100);
        var parallelOptions = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.For(0, requests.Count, parallelOptions, i =>
        {
            var request = requests[i];
            items[i] = Verify(request, resolved[request.KeyId], tamperedKeys.Contains(request.KeyId), decisions[request.KeyId], !disabledCurveKeys.Contains(request.KeyId), current, tenantId, Guid.CreateVersion7(), time.GetUtcNow());
            metrics.Verified(items[i].Status, resolved[request.KeyId]?.Info.Spec);
            var count = Interlocked.Increment(ref done);
            if (progress is not null && (count % reportEvery == 0 || count == requests.Count))
            {
                progress.Report(count);
            }
        });

        var batch = new BatchVerificationRecord
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenantId,
            Caller = caller ?? current?.DisplayName,
            CallerId = current?.StableId,
            StartedAt = startedAt,
            CompletedAt = time.GetUtcNow(),
            Items = items,
        };
        await log.AppendBatchAsync(batch, cancellationToken).ConfigureAwait(false);

        var logs = LogsRecords;
        var results = new VerificationResult[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            results[i] = new VerificationResult(requests[i].KeyId, items[i].Status, logs ? items[i].Id : null) { Detail = items[i].Detail };
        }

        return new BatchVerificationResult(logs ? batch.Id : null, results);
    }

    private bool LogsRecords => _options.VerificationLog.Mode != LogMode.Off;

    // A key whose stored row failed authentication is not used: its id resolves to no key, and the outcome says why.
    private async ValueTask<(ResolvedKey? Key, bool Tampered)> ResolveAsync(Guid tenantId, KeyId keyId, CancellationToken cancellationToken)
    {
        try
        {
            return (await keys.GetAsync(tenantId, keyId, cancellationToken).ConfigureAwait(false), false);
        }
        catch (KeyTamperedException)
        {
            return (null, true);
        }
    }

    private static VerificationStatus Refine(VerificationStatus status, bool tampered)
        => tampered && status == VerificationStatus.KeyNotFound ? VerificationStatus.KeyTampered : status;

    private VerificationRecord Verify(VerificationRequest request, ResolvedKey? key, bool tampered, AuthorizationDecision decision, bool curveEnabled, Caller? caller, Guid tenantId, Guid recordId, DateTimeOffset now)
    {
        var input = (request.Data ?? request.Hash ?? default).Span;
        var isHash = request.Hash is not null;
        var signature = request.Signature.Span;

        Span<byte> documentSha256 = stackalloc byte[32];
        var status = Refine(Check(request, key, decision.IsAllowed, curveEnabled, now, input, isHash, signature, documentSha256, fingerprint: true), tampered);

        return new VerificationRecord
        {
            Id = recordId,
            TenantId = tenantId,
            RequestedKeyId = request.KeyId,
            KeyExists = key is not null,
            Algorithm = key?.Info.Spec.Name,
            Status = status,
            DocumentSha256 = documentSha256.ToArray(),
            SignatureSha256 = SignatureFingerprint(request, key, decision.IsAllowed, signature),
            VerifiedAt = now,
            Caller = request.Caller ?? caller?.DisplayName,
            CallerId = caller?.StableId,
            Detail = decision.IsAllowed ? Diagnose(request, key, status) : decision.Reason,
        };
    }

    // The log's fingerprint of the signature: SHA-256 of its canonical form (an ECDSA signature in DER and in P1363 is
    // one signature), of at most as many bytes as the key's longest signature, so an oversized signature costs no more
    // to record than a real one. A caller who may not use the key, or a key that does not exist, gets the bound of any
    // key, which tells nothing about the key.
    private static byte[] SignatureFingerprint(VerificationRequest request, ResolvedKey? key, bool allowed, ReadOnlySpan<byte> signature)
    {
        if (!allowed || key is null)
        {
            return SHA256.HashData(signature[..Math.Min(signature.Length, VerificationKey.MaxAnySignatureLength)]);
        }

        var verificationKey = key.VerificationKey;
        if (signature.Length > verificationKey.MaxSignatureLength)
        {
            return SHA256.HashData(signature[..verificationKey.MaxSignatureLength]);
        }

        Span<byte> buffer = stackalloc byte[VerificationKey.MaxAnySignatureLength];
        var parameters = SignatureParameterResolver.Resolve(key.Info, request.Options);
        return SHA256.HashData(verificationKey.Canonicalize(signature, parameters, buffer));
    }

    // Why a refused signature was refused, when there is more to say than the status. Never reached on the Valid path.
    private static string? Diagnose(VerificationRequest request, ResolvedKey? key, VerificationStatus status)
    {
        if (key is null || status is not (VerificationStatus.InvalidSignature or VerificationStatus.MalformedSignature or VerificationStatus.AlgorithmMismatch))
        {
            return null;
        }

        var info = key.Info;
        if (request.ExpectedAlgorithm is { } expected && expected != info.Spec.Algorithm)
        {
            return $"{expected} expected; the key is {info.Spec.Name}.";
        }

        var signature = request.Signature.Span;
        var max = key.VerificationKey.MaxSignatureLength;
        if (signature.Length > max)
        {
            return $"The signature is {signature.Length} bytes; a {info.Spec.Name} signature is at most {max}.";
        }

        var parameters = SignatureParameterResolver.Resolve(info, request.Options);
        if (status == VerificationStatus.InvalidSignature && IsRefusedHighS(key, signature, parameters))
        {
            return "The signature's s is above n/2, and this key accepts only low-S signatures (RequireLowS): use s' = n − s.";
        }

        return key.VerificationKey.Diagnose((request.Data ?? request.Hash ?? default).Span, request.Hash is not null, request.Signature.Span, parameters, status);
    }


    private static VerificationStatus CheckOnly(VerificationRequest request, ResolvedKey? key, bool allowed, bool curveEnabled, DateTimeOffset now)
    {
        Span<byte> documentSha256 = stackalloc byte[32];
        return Check(request, key, allowed, curveEnabled, now, (request.Data ?? request.Hash ?? default).Span, request.Hash is not null, request.Signature.Span, documentSha256, fingerprint: false);
    }

    // With fingerprint, fills documentSha256 (the log's fingerprint of the document) on every path, and
    // reuses it as the signed hash when the key signs SHA-256 hashes, so the data is hashed once. Without
    // (log Off), the buffer is only the signed hash's, and data is hashed only when the algorithm needs it.
    private static VerificationStatus Check(
        VerificationRequest request, ResolvedKey? key, bool allowed, bool curveEnabled, DateTimeOffset now,
        ReadOnlySpan<byte> input, bool isHash, ReadOnlySpan<byte> signature, Span<byte> documentSha256, bool fingerprint)
    {
        var parameters = key is null ? default : SignatureParameterResolver.Resolve(key.Info, request.Options);
        var hashAlgorithm = key is null ? HashAlgorithmName.SHA256 : parameters.Hash;
        if (fingerprint && isHash && hashAlgorithm == HashAlgorithmName.SHA256 && input.Length == 32)
        {
            // The caller's SHA-256 is the document's SHA-256.
            input.CopyTo(documentSha256);
        }
        else if (fingerprint)
        {
            SHA256.HashData(input, documentSha256);
        }

        // Before anything about the key: a denied caller learns neither whether it exists nor its state.
        if (!allowed)
        {
            return VerificationStatus.AccessDenied;
        }

        if (key is null)
        {
            return VerificationStatus.KeyNotFound;
        }

        var info = key.Info;
        switch (info.EffectiveStatus(now))
        {
            case KeyStatus.Revoked:
                return VerificationStatus.KeyRevoked;
            case KeyStatus.Expired:
                return VerificationStatus.KeyExpired;
        }

        // Not checked at all: a disabled curve's signatures are not to be trusted, however they check out.
        if (!curveEnabled)
        {
            return VerificationStatus.CurveDisabled;
        }

        if (request.ExpectedAlgorithm is { } expected && expected != info.Spec.Algorithm)
        {
            return VerificationStatus.AlgorithmMismatch;
        }

        // Longer than any signature of the key: refused unread.
        if (signature.Length > key.VerificationKey.MaxSignatureLength)
        {
            return VerificationStatus.MalformedSignature;
        }

        var status = VerifySignature(key, hashAlgorithm, input, isHash, signature, parameters, documentSha256, fingerprint);
        return status == VerificationStatus.Valid && IsRefusedHighS(key, signature, parameters) ? VerificationStatus.InvalidSignature : status;
    }

    // A valid ECDSA signature whose s is above n/2, under a key that requires low S.
    private static bool IsRefusedHighS(ResolvedKey key, ReadOnlySpan<byte> signature, SignatureParameters parameters)
    {
        if (!key.Info.RequireLowS || key.VerificationKey is not EcdsaVerificationKey ecdsa)
        {
            return false;
        }

        Span<byte> buffer = stackalloc byte[VerificationKey.MaxAnySignatureLength];
        var p1363 = ecdsa.Canonicalize(signature, parameters, buffer);
        return p1363.Length == 2 * ecdsa.Curve.FieldBytes && EcdsaSignatureEncoding.IsHighS(p1363, ecdsa.Curve);
    }

    private static VerificationStatus VerifySignature(
        ResolvedKey key, HashAlgorithmName hashAlgorithm, ReadOnlySpan<byte> input, bool isHash, ReadOnlySpan<byte> signature,
        SignatureParameters parameters, Span<byte> documentSha256, bool fingerprint)
    {
        if (isHash || key.Info.Spec.Algorithm == KeyAlgorithm.EdDsa)
        {
            return key.VerificationKey.Verify(input, isHash, signature, parameters);
        }

        if (hashAlgorithm == HashAlgorithmName.SHA256)
        {
            if (!fingerprint)
            {
                SHA256.HashData(input, documentSha256);
            }

            return key.VerificationKey.Verify(documentSha256, inputIsHash: true, signature, parameters);
        }

        Span<byte> hash = stackalloc byte[64];
        int length;
        if (hashAlgorithm == HashAlgorithmName.SHA384)
        {
            length = SHA384.HashData(input, hash);
        }
        else if (hashAlgorithm == HashAlgorithmName.SHA512)
        {
            length = SHA512.HashData(input, hash);
        }
        else
        {
            return VerificationStatus.AlgorithmMismatch;
        }

        return key.VerificationKey.Verify(hash[..length], inputIsHash: true, signature, parameters);
    }

    private void CheckSizes(VerificationRequest request)
    {
        var inputLength = request.Data?.Length ?? request.Hash?.Length ?? 0;
        if (inputLength > _options.MaxDocumentSize)
        {
            throw new ArgumentException($"The document is {inputLength} bytes, over the {_options.MaxDocumentSize}-byte limit (MaxDocumentSize). Hash it and verify the hash instead (VerificationRequest.ForHash).", nameof(request));
        }

        CheckCaller(request.Caller);
    }

    private static void CheckCaller(string? caller)
    {
        if (caller is { Length: > 200 })
        {
            throw new ArgumentException("The caller name is over 200 characters.", nameof(caller));
        }

        if (caller is not null && caller.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("The caller name holds a NUL character (U+0000); remove it.", nameof(caller));
        }

        if (caller is not null)
        {
            // Stored as U+FFFD otherwise, so two callers would share one name in the log.
            KeyRequestValidator.WellFormed(caller, "The caller name", nameof(caller));
        }
    }
}
