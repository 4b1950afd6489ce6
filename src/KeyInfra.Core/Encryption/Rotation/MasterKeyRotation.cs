using KeyInfra.Diagnostics;
using KeyInfra.Errors;
using KeyInfra.RowAuthentication;
using KeyInfra.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KeyInfra.Encryption.Rotation;

/// <summary>
/// The engine's <see cref="IMasterKeyRotation"/>: status from the ring, the stored check values and the stored use counts;
/// re-wrap as the private-key re-encryption, the key-row authentication pass and the registered steps, in that order;
/// retirement as a flag in the key's own check value.
/// </summary>
/// <remarks>Resolves the passes lazily, so a host without a master key source can still be built (and gets KI2001 here).</remarks>
internal sealed class MasterKeyRotation(
    IServiceProvider services,
    IKeyRepository keys,
    IMasterKeyRepository masterKeys,
    IVerificationLogRepository log,
    IEnumerable<IMasterKeyRewrapStep> steps,
    KeyInfraMetrics metrics,
    Audit.AuditRecorder audit,
    Authorization.AccessGuard access,
    Tenancy.ITenantContext tenant,
    ILogger<MasterKeyRotation> logger) : IMasterKeyRotation
{
    private readonly IMasterKeyRewrapStep[] _steps = [.. steps];

    public async Task<MasterKeyStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        await DemandAsync(cancellationToken).ConfigureAwait(false);
        var (source, validator) = Resolve();
        await using var lease = await source.AcquireRingAsync(cancellationToken).ConfigureAwait(false);
        var state = await validator.EnsureValidatedAsync(lease.Ring, cancellationToken).ConfigureAwait(false);
        return await ReadStatusAsync(lease.Ring, state, cancellationToken).ConfigureAwait(false);
    }

    public async Task<MasterKeyRewrapSummary> RewrapAsync(MasterKeyRewrapOptions? options = null, IProgress<MasterKeyRewrapProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new MasterKeyRewrapOptions();
        await DemandAsync(cancellationToken).ConfigureAwait(false);
        var (source, validator) = Resolve();
        string currentId;
        await using (var lease = await source.AcquireRingAsync(cancellationToken).ConfigureAwait(false))
        {
            await validator.EnsureValidatedAsync(lease.Ring, cancellationToken).ConfigureAwait(false);
            currentId = lease.Ring.Current.Id;
        }

        var names = new List<string> { MasterKeyRewrapSteps.PrivateKeys, MasterKeyRewrapSteps.KeyRows, MasterKeyRewrapSteps.LogDigests };
        names.AddRange(_steps.Select(s => s.Name));
        // Steps finished without a failure: what a resumed run skips (by name, so a change of the registered steps between
        // runs cannot make it skip the wrong one). A checkpoint of another current key is not trusted at all.
        var finished = new List<string>();
        if (options.ResumeFrom is { FinishedSteps: { } resumed } resume && string.Equals(resume.MasterKeyId, currentId, StringComparison.Ordinal))
        {
            finished.AddRange(names.Where(resumed.Contains));
        }

        if (finished.Count > 0)
        {
            Log.MasterKeyRewrapResumed(logger, currentId, finished.Count);
        }

        var stepsRun = 0;
        ReencryptionSummary? privateKeys = null;
        KeyRowAuthenticationSummary? keyRows = null;
        var others = new List<MasterKeyRewrapStepResult>();
        for (var step = 0; step < names.Count; step++)
        {
            if (finished.Contains(names[step]))
            {
                continue;
            }

            stepsRun++;
            var number = step + 1;
            void Report(long examined, long changed, long failed)
                => progress?.Report(new MasterKeyRewrapProgress(names[step], number, names.Count, examined, changed, failed, false, new MasterKeyRewrapCheckpoint(currentId, [.. finished])));
            void Finish(long examined, long changed, long failed)
            {
                if (failed == 0)
                {
                    finished.Add(names[step]);
                }

                metrics.RewrapStepFinished(names[step], changed, failed);
                progress?.Report(new MasterKeyRewrapProgress(names[step], number, names.Count, examined, changed, failed, true, new MasterKeyRewrapCheckpoint(currentId, [.. finished])));
            }

            switch (step)
            {
                case 0:
                    var reencryptor = services.GetRequiredService<PrivateKeyReencryptor>();
                    privateKeys = await reencryptor.ReencryptAllAsync(
                        new ReencryptionOptions { UnsafeReadPlaintextPrivateKeys = options.UnsafeReadPlaintextPrivateKeys },
                        (s, examined) => Report(examined, Changed(s), s.Skipped.Count),
                        cancellationToken).ConfigureAwait(false);
                    Finish(Examined(privateKeys), Changed(privateKeys), privateKeys.Skipped.Count);
                    break;

                case 1:
                    var rows = services.GetRequiredService<KeyRowAuthenticator>();
                    keyRows = await rows.AuthenticateAllAsync(
                        new InlineProgress<KeyRowAuthenticationSummary>(s => Report(s.Examined, s.Authenticated + s.Reauthenticated, s.Refused)),
                        cancellationToken).ConfigureAwait(false);
                    Finish(keyRows.Examined, keyRows.Authenticated + keyRows.Reauthenticated, keyRows.Refused + keyRows.Conflicts);
                    break;

                case 2:
                    var digests = await RewrapLogAsync(source, validator, currentId, s => Report(s.Examined, s.Changed, s.Failed), cancellationToken).ConfigureAwait(false);
                    others.Add(digests);
                    Finish(digests.Examined, digests.Changed, digests.Failed);
                    break;

                default:
                    var registered = _steps[step - 3];
                    var result = await registered.RewrapAsync(
                        new InlineProgress<MasterKeyRewrapStepResult>(s => Report(s.Examined, s.Changed, s.Failed)),
                        cancellationToken).ConfigureAwait(false)
                        ?? throw new InvalidOperationException($"The re-wrap step '{registered.Name}' ({registered.GetType().Name}) returned no result.");
                    others.Add(result);
                    Finish(result.Examined, result.Changed, result.Failed);
                    break;
            }
        }

        MasterKeyStatus status;
        await using (var lease = await source.AcquireRingAsync(cancellationToken).ConfigureAwait(false))
        {
            var state = await validator.EnsureValidatedAsync(lease.Ring, cancellationToken).ConfigureAwait(false);
            status = await ReadStatusAsync(lease.Ring, state, cancellationToken).ConfigureAwait(false);
        }

        var stillUsed = status.StillUsedOlderKeys.ToArray();
        Log.MasterKeyRewrapCompleted(logger, currentId, stepsRun, names.Count,
            stillUsed.Length == 0 ? "none" : string.Join("; ", stillUsed.Select(k => $"{k.Id}: {k.DescribeUses()}")));
        await audit.ChangeAsync(new Audit.AuditChange
        {
            Action = Audit.AuditActions.MasterKeyRewrap,
            TargetType = "master_key",
            TargetId = currentId,
            After = new Dictionary<string, string?>
            {
                ["steps_run"] = Audit.AuditText.Count(stepsRun),
                ["still_used"] = string.Join(',', stillUsed.Select(k => k.Id)),
            },
        }, cancellationToken).ConfigureAwait(false);
        return new MasterKeyRewrapSummary
        {
            MasterKeyId = currentId,
            PrivateKeys = privateKeys,
            KeyRows = keyRows,
            OtherSteps = others,
            StillUsed = stillUsed,
            Checkpoint = new MasterKeyRewrapCheckpoint(currentId, [.. finished]),
        };
    }

    public async Task<MasterKeyState> RetireAsync(string masterKeyId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(masterKeyId);
        await DemandAsync(cancellationToken).ConfigureAwait(false);
        var (source, validator) = Resolve();
        await using var lease = await source.AcquireRingAsync(cancellationToken).ConfigureAwait(false);
        var ring = lease.Ring;
        var state = await validator.EnsureValidatedAsync(ring, cancellationToken).ConfigureAwait(false);
        if (string.Equals(masterKeyId, ring.Current.Id, StringComparison.Ordinal))
        {
            throw new MasterKeyException(
                ErrorCodes.MasterKeyInUse,
                $"Master key '{masterKeyId}' is the current key: everything new is wrapped under it. Make another key current (on every instance), run 'master-key rewrap', then retire this one.");
        }

        var key = ring.Find(masterKeyId) ?? throw new MasterKeyException(
            ErrorCodes.MasterKeyUnavailable,
            $"The configured master key sources do not give a key '{masterKeyId}', so it cannot be retired (retirement is recorded under the key itself). " +
            "Check the id with 'master-key status'; to retire a key already removed from its source, add it back as a previous key first.");

        var status = await ReadStatusAsync(ring, state, cancellationToken).ConfigureAwait(false);
        var entry = status.Keys.First(k => string.Equals(k.Id, masterKeyId, StringComparison.Ordinal));
        if (entry.Uses > 0)
        {
            throw new MasterKeyException(
                ErrorCodes.MasterKeyInUse,
                $"Master key '{masterKeyId}' is still used by {entry.DescribeUses()}, so it cannot be retired: they could not be read or checked without it. " +
                "Run 'master-key rewrap' to move them under the current key (items it cannot read are logged and stay), then retire it. Nothing was changed.");
        }

        // The counts trust the re-wrap columns; the MACs decide. Every digest the key made must verify without it.
        var unverifiable = await CountUnverifiableWithoutAsync(ring, masterKeyId, cancellationToken).ConfigureAwait(false);
        if (unverifiable > 0)
        {
            throw new MasterKeyException(
                ErrorCodes.MasterKeyInUse,
                $"Master key '{masterKeyId}' cannot be retired: {unverifiable} verification log digest(s) or checkpoint(s) it made have no re-wrap MAC that " +
                "verifies under another key of the sources (changed outside KeyInfra, or re-wrapped under a key the sources do not give), so they could " +
                "not be checked without it. Run 'log verify' to find them and 'master-key rewrap'; nothing was changed.");
        }

        if (!entry.Retired && !await validator.MarkRetiredAsync(key, state, cancellationToken).ConfigureAwait(false))
        {
            throw new MasterKeyException(
                ErrorCodes.MasterKeyCheckFailed,
                $"The stored check value of master key '{masterKeyId}' is not this key's, or changed while it was being retired; nothing was retired. Run 'master-key status' and try again.");
        }

        if (!entry.Retired)
        {
            Log.MasterKeyRetired(logger, masterKeyId);
            await audit.ChangeAsync(new Audit.AuditChange
            {
                Action = Audit.AuditActions.MasterKeyRetire,
                TargetType = "master_key",
                TargetId = masterKeyId,
                Before = new Dictionary<string, string?> { ["retired"] = "false" },
                After = new Dictionary<string, string?> { ["retired"] = "true" },
            }, cancellationToken).ConfigureAwait(false);
        }

        // Something written under the key between the count and the flag means an instance still uses it as current.
        var after = (await ReadStatusAsync(ring, state, cancellationToken).ConfigureAwait(false)).Keys.First(k => string.Equals(k.Id, masterKeyId, StringComparison.Ordinal));
        if (after.Uses > 0)
        {
            throw new MasterKeyException(
                ErrorCodes.MasterKeyInUse,
                $"Master key '{masterKeyId}' was retired, but {after.DescribeUses()} appeared under it meanwhile: an instance still uses it as its current key. " +
                "Configure every instance with the new key as current (a running instance learns of the retirement at its next restart or key change), " +
                "run 'master-key rewrap', and keep the old key until 'master-key status' shows nothing under it.");
        }

        return after;
    }

    /// <summary>
    /// Gives every digest and checkpoint not yet under the current key a re-wrap MAC under it, after checking the MACs it has
    /// (a digest that does not verify is never vouched for: it is left as it is, logged and counted as failed).
    /// </summary>
    private async Task<MasterKeyRewrapStepResult> RewrapLogAsync(IEncryptionKeyProvider source, MasterKeyValidator validator, string currentId, Action<MasterKeyRewrapStepResult> report, CancellationToken cancellationToken)
    {
        long examined = 0, changed = 0, failed = 0;
        await using var lease = await source.AcquireRingAsync(cancellationToken).ConfigureAwait(false);
        var ring = lease.Ring;
        await validator.EnsureValidatedAsync(ring, cancellationToken).ConfigureAwait(false);

        // The run's key, even if a refresh made another current meanwhile: the summary names it, and the next run moves on.
        var current = ring.Find(currentId) ?? throw new MasterKeyException(
            ErrorCodes.MasterKeyUnavailable,
            $"The master key '{currentId}' this re-wrap started under is no longer given by the sources; nothing more was changed. Run the re-wrap again.");
        await foreach (var stored in log.ListDigestsAsync(LogDigestSelection.NotUnder, current.Id, cancellationToken).ConfigureAwait(false))
        {
            examined++;
            var digest = stored.Digest;
            var check = Verification.Chain.LogChainFormat.Check(ring, digest);
            if (check != Verification.Chain.DigestCheck.Authentic)
            {
                failed++;
                Log.LogDigestRewrapRefused(logger, digest.Sequence, digest.ChainId, digest.TenantId, stored.IsCheckpoint,
                    check == Verification.Chain.DigestCheck.KeyUnavailable ? "the master key sources give neither the key that made it nor the one that re-wrapped it" : "its MAC does not verify (changed outside KeyInfra)",
                    digest.EffectiveMasterKeyId);
            }
            else if (await log.SetDigestRewrapAsync(stored, current.Id, Verification.Chain.LogChainFormat.ComputeRewrapMac(current, digest), cancellationToken).ConfigureAwait(false))
            {
                changed++;
            }
            else
            {
                failed++;
                Log.LogDigestRewrapRefused(logger, digest.Sequence, digest.ChainId, digest.TenantId, stored.IsCheckpoint, "it changed or went while it was re-wrapped; run the re-wrap again", digest.EffectiveMasterKeyId);
            }

            if (examined % 100 == 0)
            {
                report(new MasterKeyRewrapStepResult(MasterKeyRewrapSteps.LogDigests, examined, changed, failed));
            }
        }

        return new MasterKeyRewrapStepResult(MasterKeyRewrapSteps.LogDigests, examined, changed, failed);
    }

    /// <summary>The digests and checkpoints <paramref name="masterKeyId"/> made whose re-wrap MAC does not verify under another key of the ring.</summary>
    private async Task<long> CountUnverifiableWithoutAsync(MasterKeyRing ring, string masterKeyId, CancellationToken cancellationToken)
    {
        long unverifiable = 0;
        await foreach (var stored in log.ListDigestsAsync(LogDigestSelection.MadeWith, masterKeyId, cancellationToken).ConfigureAwait(false))
        {
            var digest = stored.Digest;
            var other = digest.RewrapMasterKeyId is { } id && !string.Equals(id, masterKeyId, StringComparison.Ordinal) ? ring.Find(id) : null;
            if (other is null || Verification.Chain.LogChainFormat.Check(ring, digest) != Verification.Chain.DigestCheck.Authentic)
            {
                unverifiable++;
            }
        }

        return unverifiable;
    }

    private (IEncryptionKeyProvider Source, MasterKeyValidator Validator) Resolve()
    {
        if (services.GetService<IEncryptionKeyProvider>() is not { } source)
        {
            ThrowHelper.NoMasterKeySource();
            return default;
        }

        return (source, services.GetRequiredService<MasterKeyValidator>());
    }

    private async Task<MasterKeyStatus> ReadStatusAsync(MasterKeyRing ring, KeyRowState state, CancellationToken cancellationToken)
    {
        var checks = (await masterKeys.ListAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(c => c.KeyId, StringComparer.Ordinal);
        var uses = await keys.CountMasterKeyUsesAsync(cancellationToken).ConfigureAwait(false);
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        ids.UnionWith(ring.KeyIds);
        ids.UnionWith(checks.Keys);
        ids.UnionWith(uses.Select(u => u.MasterKeyId));

        var states = new List<MasterKeyState>();
        foreach (var id in ids)
        {
            var key = ring.Find(id);
            checks.TryGetValue(id, out var check);
            long Count(MasterKeyUseKind kind) => uses.Where(u => u.Kind == kind && string.Equals(u.MasterKeyId, id, StringComparison.Ordinal)).Sum(u => u.Count);
            states.Add(new MasterKeyState
            {
                Id = id,
                IsCurrent = ReferenceEquals(key, ring.Current),
                InSources = key is not null,
                KnownToDatabase = check is not null,
                FirstSeenAt = check?.CreatedAt,

                // The flag is under the key's own MAC: without the key it cannot be read, and is not claimed.
                Retired = key is not null && check is not null && MasterKeyCheckValue.Read(key, check.CheckValue).Retired,
                PrivateKeys = Count(MasterKeyUseKind.PrivateKey),
                KeyRowMacs = Count(MasterKeyUseKind.KeyRowMac),
                HsmPins = Count(MasterKeyUseKind.HsmPin),
                LogDigests = Count(MasterKeyUseKind.LogDigest),
                LogCheckpoints = Count(MasterKeyUseKind.LogCheckpoint),
                IdentityRowMacs = Count(MasterKeyUseKind.IdentityRowMac),
            });
        }

        // The current key first, then the others by id.
        states.Sort((a, b) => a.IsCurrent != b.IsCurrent ? (a.IsCurrent ? -1 : 1) : string.CompareOrdinal(a.Id, b.Id));
        return new MasterKeyStatus(ring.Current.Id, state == KeyRowState.Strict, states);
    }

    private static long Changed(ReencryptionSummary s) => s.Encrypted + s.Upgraded + s.Rewrapped;

    private static long Examined(ReencryptionSummary s) => s.Encrypted + s.Upgraded + s.Rewrapped + s.Unchanged + s.Skipped.Count;

    // Progress<T> posts to the thread pool: the caller's progress gets the reports in order, on this flow.
    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    private ValueTask DemandAsync(CancellationToken cancellationToken)
        => access.DemandAsync(Authorization.KeyInfraOperation.ManageMasterKeys, tenant.TenantId, null, null, null, cancellationToken);
}
