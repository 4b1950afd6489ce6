using System.CommandLine;
using KeyInfra.Encryption;
using KeyInfra.Sample.Output;

namespace KeyInfra.Sample.Commands;

/// <summary><c>reencrypt</c>: brings every private key under the current master key (after a master key rotation).</summary>
internal static class ReencryptCommand
{
    public static Command Create(CliSession session)
    {
        var command = new Command("reencrypt", "Re-wrap every private key under the current master key (run after rotating KEYINFRA_MASTER_KEY).");
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            var summary = await CommandContext.Get<IPrivateKeyReencryptor>(services).ReencryptAllAsync(ct);
            if (context.Json)
            {
                JsonOutput.Write(context.Output, summary);
                return ExitCodes.Success;
            }

            new TableWriter("ENCRYPTED", "REWRAPPED", "UNCHANGED")
                .AddRow(Formats.Number(summary.Encrypted), Formats.Number(summary.Rewrapped), Formats.Number(summary.Unchanged))
                .Write(context.Output);
            context.Output.WriteLine(summary.Encrypted + summary.Rewrapped == 0
                ? "Every private key was already under the current master key."
                : "Done: previous master keys are no longer needed by this database once every instance runs with the new key.");
            return ExitCodes.Success;
        });
        return command;
    }
}
