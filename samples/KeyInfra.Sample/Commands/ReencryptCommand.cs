using System.CommandLine;
using KeyInfra.Encryption;
using KeyInfra.Pkcs11.Slots;
using KeyInfra.RowAuthentication;
using KeyInfra.Sample.Hosting;
using KeyInfra.Sample.Output;
using KeyInfra.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace KeyInfra.Sample.Commands;

/// <summary>
/// <c>reencrypt</c>: brings every private key under the current master key in the current envelope format (after a
/// master key rotation or an upgrade), re-authenticates the key rows, and re-wraps every HSM slot PIN when the PKCS#11
/// package is configured. Keys, rows or PINs it cannot bring over are listed, and the command then exits non-zero.
/// </summary>
internal static class ReencryptCommand
{
    public static Command Create(CliSession session)
    {
        var command = new Command("reencrypt", "Re-wrap every private key and HSM slot PIN and re-authenticate every key row under the current master key, upgrading old ciphertexts (run after rotating KEYINFRA_MASTER_KEY or upgrading).");
        var unsafePlaintext = new Option<bool>("--unsafe-read-plaintext-private-keys")
        {
            Description = "Also encrypt plaintext private keys written before encryption at rest. UNSAFE: anyone who can write the database " +
                          "can plant such a key; use once, when migrating such a database, after checking nobody else wrote to it.",
        };
        command.Options.Add(unsafePlaintext);
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            var options = new ReencryptionOptions { UnsafeReadPlaintextPrivateKeys = parse.GetValue(unsafePlaintext) };
            var summary = await CommandContext.Get<IPrivateKeyReencryptor>(services).ReencryptAllAsync(options, ct);

            // Then the key rows: re-authenticated under the current master key, as the data keys were re-wrapped.
            var rows = await CommandContext.Get<IKeyRowAuthenticator>(services).AuthenticateAllAsync(null, ct);

            // Then the HSM slot PINs (re-wrapped without being decrypted). Without the PKCS#11 package they stay as they
            // are, and the master keys that wrapped them stay needed: say so rather than report success.
            var hsm = services.GetService<IHsmManager>();
            var pins = hsm is null ? null : await hsm.RewrapPinsAsync(ct);
            var slotsLeft = 0;
            if (hsm is null)
            {
                await foreach (var _ in CommandContext.Get<IHsmRepository>(services).ListAllSlotsAsync(ct))
                {
                    slotsLeft++;
                }
            }

            var exitCode = summary.Skipped.Count == 0 && rows.Refused == 0 && pins is not { Failed: > 0 } && slotsLeft == 0 ? ExitCodes.Success : ExitCodes.Failure;
            if (context.Json)
            {
                JsonOutput.Write(context.Output, new
                {
                    summary.Encrypted, summary.Upgraded, summary.Rewrapped, summary.Unchanged, summary.Skipped, KeyRows = rows,
                    HsmPins = pins, HsmSlotsNotRewrapped = slotsLeft,
                });
                return exitCode;
            }

            new TableWriter("ENCRYPTED", "UPGRADED", "REWRAPPED", "UNCHANGED", "SKIPPED")
                .AddRow(Formats.Number(summary.Encrypted), Formats.Number(summary.Upgraded), Formats.Number(summary.Rewrapped), Formats.Number(summary.Unchanged), Formats.Number(summary.Skipped.Count))
                .Write(context.Output);
            if (summary.Skipped.Count > 0)
            {
                context.Output.WriteLine();
                var skipped = new TableWriter("KEY", "TENANT", "CODE", "REASON");
                foreach (var key in summary.Skipped)
                {
                    skipped.AddRow(key.KeyId.ToString(), key.TenantId.ToString(), key.ErrorCode, key.Reason);
                }

                skipped.Write(context.Output);
                context.Output.WriteLine($"{summary.Skipped.Count} private key(s) could not be read and were left as they were; fix or remove them and run again.");
                AuthenticateKeysCommand.Write(context.Output, rows);
                WritePins(context.Output, pins, slotsLeft);
                return exitCode;
            }

            context.Output.WriteLine(summary.Encrypted + summary.Upgraded + summary.Rewrapped == 0
                ? "Every private key was already under the current master key."
                : "Done: previous master keys are no longer needed by this database once every instance runs with the new key.");
            AuthenticateKeysCommand.Write(context.Output, rows);
            WritePins(context.Output, pins, slotsLeft);
            return exitCode;
        });
        return command;
    }

    private static void WritePins(TextWriter output, HsmPinRewrapSummary? pins, int slotsLeft)
    {
        if (pins is null)
        {
            if (slotsLeft > 0)
            {
                output.WriteLine($"{slotsLeft} HSM slot PIN(s) were not re-wrapped: the PKCS#11 package is not configured ({SampleHost.Pkcs11ModuleVariable}). " +
                    "The master keys that wrapped them are still needed; configure it and run again.");
            }

            return;
        }

        output.WriteLine();
        new TableWriter("HSM PINS REWRAPPED", "ALREADY CURRENT", "FAILED")
            .AddRow(Formats.Number(pins.Rewrapped), Formats.Number(pins.AlreadyCurrent), Formats.Number(pins.Failed))
            .Write(output);
        if (pins.Failed > 0)
        {
            output.WriteLine($"{pins.Failed} HSM slot PIN(s) could not be re-wrapped and stay under their old master key; the log names each slot. Fix them (or set their PIN again) and run again.");
        }
    }
}
