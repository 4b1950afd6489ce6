using KeyInfra.Encryption.Rotation;
using KeyInfra.Sample.Hosting;
using KeyInfra.Sample.Output;

namespace KeyInfra.Sample.Commands;

/// <summary>
/// The run behind <c>master-key rewrap</c> and <c>reencrypt</c>: <see cref="IMasterKeyRotation.RewrapAsync"/> with a
/// progress bar on standard error and its checkpoint kept in a file, so a run stopped by a crash or Ctrl+C resumes
/// where it stopped; then what it did, and which older keys stored data still names.
/// </summary>
internal static class RewrapRunner
{
    private const string HsmPinsStep = "hsm-pins";

    public static async Task<int> RunAsync(CommandContext context, IServiceProvider services, bool unsafeReadPlaintext, bool restart, CancellationToken cancellationToken)
    {
        var file = new RewrapCheckpointFile(Path.Combine(Path.GetDirectoryName(context.DatabasePath)!, RewrapCheckpointFile.FileName));
        var resumeFrom = restart ? null : file.Read();
        if (resumeFrom is not null && !context.Json)
        {
            context.Error.WriteLine($"Resuming from {file.Path}: done under master key {resumeFrom.MasterKeyId}: {(resumeFrom.FinishedSteps.Count == 0 ? "nothing" : string.Join(", ", resumeFrom.FinishedSteps))} (--restart to start over).");
        }

        var bar = context.Json ? null : new RewrapProgressBar(context.Error, context.InteractiveError);
        var progress = new CheckpointingProgress(file, bar);
        var summary = await CommandContext.Get<IMasterKeyRotation>(services).RewrapAsync(
            new MasterKeyRewrapOptions { ResumeFrom = resumeFrom, UnsafeReadPlaintextPrivateKeys = unsafeReadPlaintext }, progress, cancellationToken);
        // The run ended (rather than crashed): the next one starts from the first step, whatever this one left behind.
        file.Delete();

        var pins = summary.OtherSteps.FirstOrDefault(s => s.Step == HsmPinsStep);
        var log = summary.OtherSteps.FirstOrDefault(s => s.Step == MasterKeyRewrapSteps.LogDigests);
        var pinsLeft = pins is null ? summary.StillUsed.Sum(k => k.HsmPins) : 0;
        var exitCode = summary.Complete ? ExitCodes.Success : ExitCodes.Failure;
        if (context.Json)
        {
            var keys = summary.PrivateKeys;
            JsonOutput.Write(context.Output, new
            {
                summary.MasterKeyId,
                keys?.Encrypted, keys?.Upgraded, keys?.Rewrapped, keys?.Unchanged, Skipped = keys?.Skipped ?? [],
                KeyRows = summary.KeyRows,
                LogDigests = log,
                HsmPins = pins is null ? null : new { Rewrapped = pins.Changed, AlreadyCurrent = pins.Examined - pins.Changed - pins.Failed, pins.Failed },
                HsmSlotsNotRewrapped = pinsLeft,
                summary.StillUsed,
                ResumedFrom = resumeFrom,
                summary.Complete,
            });
            return exitCode;
        }

        Write(context.Output, summary, pins, log, pinsLeft);
        return exitCode;
    }

    private static void Write(TextWriter output, MasterKeyRewrapSummary summary, MasterKeyRewrapStepResult? pins, MasterKeyRewrapStepResult? log, long pinsLeft)
    {
        if (summary.PrivateKeys is { } keys)
        {
            new TableWriter("ENCRYPTED", "UPGRADED", "REWRAPPED", "UNCHANGED", "SKIPPED")
                .AddRow(Formats.Number(keys.Encrypted), Formats.Number(keys.Upgraded), Formats.Number(keys.Rewrapped), Formats.Number(keys.Unchanged), Formats.Number(keys.Skipped.Count))
                .Write(output);
            if (keys.Skipped.Count > 0)
            {
                output.WriteLine();
                var skipped = new TableWriter("KEY", "TENANT", "CODE", "REASON");
                foreach (var key in keys.Skipped)
                {
                    skipped.AddRow(key.KeyId.ToString(), key.TenantId.ToString(), key.ErrorCode, key.Reason);
                }

                skipped.Write(output);
                output.WriteLine($"{keys.Skipped.Count} private key(s) could not be read and were left as they were; fix or remove them and run again.");
            }
            else
            {
                output.WriteLine(keys.Encrypted + keys.Upgraded + keys.Rewrapped == 0
                    ? "Every private key was already under the current master key."
                    : $"Private keys are under master key {summary.MasterKeyId}.");
            }
        }

        if (summary.KeyRows is { } rows)
        {
            output.WriteLine();
            AuthenticateKeysCommand.Write(output, rows);
        }

        if (log is not null)
        {
            output.WriteLine();
            new TableWriter("LOG DIGESTS EXAMINED", "RE-WRAPPED", "FAILED")
                .AddRow(Count(log.Examined), Count(log.Changed), Count(log.Failed))
                .Write(output);
            if (log.Failed > 0)
            {
                output.WriteLine($"{log.Failed} verification log digest(s) did not verify and were not re-wrapped (the log names each); 'log verify' reports them.");
            }
        }

        if (pins is not null)
        {
            output.WriteLine();
            new TableWriter("HSM PINS REWRAPPED", "ALREADY CURRENT", "FAILED")
                .AddRow(Count(pins.Changed), Count(pins.Examined - pins.Changed - pins.Failed), Count(pins.Failed))
                .Write(output);
            if (pins.Failed > 0)
            {
                output.WriteLine($"{pins.Failed} HSM slot PIN(s) could not be re-wrapped and stay under their old master key; the log names each slot. Fix them (or set their PIN again) and run again.");
            }
        }
        else if (pinsLeft > 0)
        {
            output.WriteLine($"{pinsLeft} HSM slot PIN(s) were not re-wrapped: the PKCS#11 package is not configured ({SampleHost.Pkcs11ModuleVariable}). " +
                "The master keys that wrapped them are still needed; configure it and run again.");
        }

        output.WriteLine();
        if (summary.StillUsed.Count == 0)
        {
            output.WriteLine($"Done: everything is under master key {summary.MasterKeyId}. Older keys can be retired ('master-key retire <id>') once every instance runs with it.");
            return;
        }

        foreach (var key in summary.StillUsed)
        {
            output.WriteLine($"Master key {key.Id} is still used by {key.DescribeUses()}.");
        }
    }

    private static string Count(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    // Saves the checkpoint whenever a step ends, before the bar shows it (reports come in order, on the run's flow), so a
    // crash or Ctrl+C leaves the file for the next run.
    private sealed class CheckpointingProgress(RewrapCheckpointFile file, IProgress<MasterKeyRewrapProgress>? bar) : IProgress<MasterKeyRewrapProgress>
    {
        public void Report(MasterKeyRewrapProgress value)
        {
            if (value.StepFinished)
            {
                file.Write(value.Checkpoint);
            }

            bar?.Report(value);
        }
    }
}
