using System.CommandLine;
using KeyInfra.Encryption.Rotation;
using KeyInfra.Sample.Output;

namespace KeyInfra.Sample.Commands;

/// <summary>
/// <c>master-key status|rewrap|retire</c>: which master keys the database and the configured sources know and what still
/// uses each; moving everything under the current key; retiring a key nothing uses any more. docs/key-sources.md has the
/// rotation runbook these follow.
/// </summary>
internal static class MasterKeyCommand
{
    public static Command Create(CliSession session)
        => new("master-key", "Master key rotation: what each key is still used for, re-wrapping everything under the current key, retiring old keys.")
        {
            StatusCommand(session),
            RewrapCommand(session),
            RetireCommand(session),
        };

    private static Command StatusCommand(CliSession session)
    {
        var command = new Command("status", "List every master key the sources give or the database knows, and what stored data still uses each (ids and counts only).");
        CommandRunner.SetHandler(command, session, async (_, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            var status = await CommandContext.Get<IMasterKeyRotation>(services).GetStatusAsync(ct);
            if (context.Json)
            {
                JsonOutput.Write(context.Output, status);
                return ExitCodes.Success;
            }

            var table = new TableWriter("KEY", "CURRENT", "IN SOURCES", "RETIRED", "PRIVATE KEYS", "ROW MACS", "HSM PINS", "LOG DIGESTS", "CHECKPOINTS", "CAN RETIRE");
            foreach (var key in status.Keys)
            {
                table.AddRow(key.Id, YesNo(key.IsCurrent), YesNo(key.InSources), YesNo(key.Retired), Count(key.PrivateKeys), Count(key.KeyRowMacs),
                    Count(key.HsmPins), Count(key.LogDigests), Count(key.LogCheckpoints), YesNo(key.CanRetire));
            }

            table.Write(context.Output);
            context.Output.WriteLine(status.RowsStrict
                ? "Every key row is authenticated: rows without a valid MAC are refused."
                : "Key rows are being migrated: run 'keys authenticate' (or 'master-key rewrap') to authenticate them all.");
            foreach (var key in status.StillUsedOlderKeys)
            {
                context.Output.WriteLine($"Master key {key.Id} is still used by {key.DescribeUses()}: run 'master-key rewrap'.");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command RewrapCommand(CliSession session)
    {
        var restart = new Option<bool>("--restart") { Description = $"Ignore the checkpoint an interrupted run left ({RewrapCheckpointFile.FileName} next to the database) and run every step." };
        var command = new Command(
            "rewrap",
            "Bring everything under the current master key without decrypting it: private keys' data keys, key row MACs, verification log digests, HSM slot PINs. " +
            "Resumable: a stopped run continues from its checkpoint.")
        {
            restart,
        };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            return await RewrapRunner.RunAsync(context, services, unsafeReadPlaintext: false, parse.GetValue(restart), ct);
        });
        return command;
    }

    private static Command RetireCommand(CliSession session)
    {
        var id = new Argument<string>("id") { Description = "The master key's id, as 'master-key status' lists it." };
        var command = new Command(
            "retire",
            "Record that a master key is retired: refused while it is current or anything uses it; afterwards it can never be the current key again and may be deleted from its source.")
        {
            id,
        };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            var state = await CommandContext.Get<IMasterKeyRotation>(services).RetireAsync(parse.GetRequiredValue(id), ct);
            if (context.Json)
            {
                JsonOutput.Write(context.Output, state);
                return ExitCodes.Success;
            }

            context.Output.WriteLine($"Master key {state.Id} is retired: nothing stored uses it, and it can never be the current key of this database again. " +
                "Remove it from every instance's key source, then delete it from the store.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static string YesNo(bool value) => value ? "yes" : "no";

    private static string Count(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
