using System.CommandLine;
using KeyInfra.Keys;
using KeyInfra.Sample.Input;
using KeyInfra.Sample.Output;

namespace KeyInfra.Sample.Commands;

/// <summary><c>curves list|disable|enable</c>: which curves may be used (docs/access-control.md, "Disabled curves").</summary>
internal static class CurvesCommand
{
    public static Command Create(CliSession session)
        => new("curves", "Which elliptic curves may be used: a disabled curve refuses new keys, imports and signatures, and its keys verify as curve-disabled.")
        {
            List(session),
            Change(session, CurveStatus.Disabled),
            Change(session, CurveStatus.Enabled),
        };

    private static Command List(CliSession session)
    {
        var command = new Command("list", "List every curve and whether it may be used.");
        CommandRunner.SetHandler(command, session, async (_, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            Print(context, await CommandContext.Get<ICurveStore>(services).ListAsync(ct));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Change(CliSession session, CurveStatus status)
    {
        var curve = new Argument<string>("curve") { Description = "The curve, as 'curves list' names it (p-256, p-384, p-521, secp256k1, ed25519)." };
        var command = new Command(
            status == CurveStatus.Disabled ? "disable" : "enable",
            status == CurveStatus.Disabled
                ? "Disable a curve in the database (every process within KeyInfra:AccessControl:CacheSeconds)."
                : "Enable a curve in the database (one that configuration disables stays disabled).")
        { curve };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var text = parse.GetRequiredValue(curve);
            var services = await context.StartAsync(ct);
            var store = CommandContext.Get<ICurveStore>(services);

            // The library's names, so the command line never has a list of its own to keep in step.
            var known = await store.ListAsync(ct);
            var match = known.FirstOrDefault(c => string.Equals(c.Name, text.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? throw new UsageException($"'{InputParser.Shorten(text)}' is not a curve: use one of {string.Join(", ", known.Select(c => c.Name))}.");
            Print(context, [await store.SetStatusAsync(match.Curve, status, ct)]);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Print(CommandContext context, IReadOnlyList<CurveInfo> curves)
    {
        if (context.Json)
        {
            JsonOutput.Write(context.Output, new { items = curves.Select(c => new { curve = c.Name, status = c.Status.ToString(), disabledBy = c.DisabledBy, storedStatus = c.StoredStatus?.ToString() }) });
            return;
        }

        var table = new TableWriter("curve", "status", "disabled by");
        foreach (var c in curves)
        {
            table.AddRow(c.Name, c.Status == CurveStatus.Enabled ? "enabled" : "disabled", c.DisabledBy ?? "-");
        }

        table.Write(context.Output);
    }
}
