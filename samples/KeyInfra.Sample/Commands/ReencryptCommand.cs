using System.CommandLine;
using KeyInfra.Encryption;
using KeyInfra.RowAuthentication;
using KeyInfra.Sample.Output;

namespace KeyInfra.Sample.Commands;

/// <summary>
/// <c>reencrypt</c>: brings every private key under the current master key in the current envelope format (after a
/// master key rotation or an upgrade). Keys it cannot read are listed, and the command then exits non-zero.
/// </summary>
internal static class ReencryptCommand
{
    public static Command Create(CliSession session)
    {
        var command = new Command("reencrypt", "Re-wrap every private key and re-authenticate every key row under the current master key, upgrading old ciphertexts (run after rotating KEYINFRA_MASTER_KEY or upgrading).");
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
            var exitCode = summary.Skipped.Count == 0 && rows.Refused == 0 ? ExitCodes.Success : ExitCodes.Failure;
            if (context.Json)
            {
                JsonOutput.Write(context.Output, new { summary.Encrypted, summary.Upgraded, summary.Rewrapped, summary.Unchanged, summary.Skipped, KeyRows = rows });
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
                return exitCode;
            }

            context.Output.WriteLine(summary.Encrypted + summary.Upgraded + summary.Rewrapped == 0
                ? "Every private key was already under the current master key."
                : "Done: previous master keys are no longer needed by this database once every instance runs with the new key.");
            AuthenticateKeysCommand.Write(context.Output, rows);
            return exitCode;
        });
        return command;
    }
}
