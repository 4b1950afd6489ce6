using System.CommandLine;
using KeyInfra.Encryption;
using KeyInfra.RowAuthentication;
using KeyInfra.Sample.Output;

namespace KeyInfra.Sample.Commands;

/// <summary><c>reencrypt</c>: brings every private key under the current master key (after a master key rotation).</summary>
internal static class ReencryptCommand
{
    public static Command Create(CliSession session)
    {
        var command = new Command("reencrypt", "Re-wrap every private key and re-authenticate every key row under the current master key (run after rotating KEYINFRA_MASTER_KEY).");
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            var summary = await CommandContext.Get<IPrivateKeyReencryptor>(services).ReencryptAllAsync(ct);

            // Then the key rows: re-authenticated under the current master key, as the data keys were re-wrapped.
            var rows = await CommandContext.Get<IKeyRowAuthenticator>(services).AuthenticateAllAsync(null, ct);
            if (context.Json)
            {
                JsonOutput.Write(context.Output, new { summary.Encrypted, summary.Rewrapped, summary.Unchanged, KeyRows = rows });
                return rows.Refused == 0 ? ExitCodes.Success : ExitCodes.Failure;
            }

            new TableWriter("ENCRYPTED", "REWRAPPED", "UNCHANGED")
                .AddRow(Formats.Number(summary.Encrypted), Formats.Number(summary.Rewrapped), Formats.Number(summary.Unchanged))
                .Write(context.Output);
            context.Output.WriteLine(summary.Encrypted + summary.Rewrapped == 0
                ? "Every private key was already under the current master key."
                : "Done: previous master keys are no longer needed by this database once every instance runs with the new key.");
            AuthenticateKeysCommand.Write(context.Output, rows);
            return rows.Refused == 0 ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
