using System.CommandLine;
using KeyInfra.Audit;
using KeyInfra.Sample.Input;
using KeyInfra.Sample.Output;

namespace KeyInfra.Sample.Commands;

/// <summary>
/// <c>audit list|export|verify</c>: the control-plane (changes) and data-plane (decisions) audit logs, newest first;
/// <c>audit verify</c> is <c>log verify</c>, whose walk checks both audit logs with the verification log.
/// </summary>
internal static class AuditCommand
{
    private const string Control = "control";
    private const string Data = "data";

    public static Command Create(CliSession session)
        => new("audit", "Show, export and check the audit logs: who changed what (control plane) and every allow or deny decision (data plane).")
        {
            CreateList(session),
            CreateExport(session),
            LogCommand.CreateVerify(session, "Check the audit logs and the verification log against their chains (the same walk as 'log verify'). Exit code 1 when anything is found."),
        };

    private static Command CreateList(CliSession session)
    {
        var filters = new Filters();
        var limit = new Option<int>("--limit") { Description = "How many records, newest first (1–1000).", DefaultValueFactory = _ => 20 };
        var command = new Command("list", "Show audit records, newest first.") { limit };
        filters.AddTo(command);
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var (plane, query) = filters.Read(parse);
            query = query with { PageSize = InputParser.ParseRange(parse.GetValue(limit), "--limit", 1, AuditQuery.MaxPageSize) };
            var services = await context.StartAsync(ct);
            var trail = CommandContext.Get<IAuditTrail>(services);
            if (plane == Control)
            {
                var page = await trail.QueryControlPlaneAsync(query, ct);
                if (context.Json)
                {
                    JsonOutput.Write(context.Output, new { items = page.Records, next = page.NextBefore });
                    return ExitCodes.Success;
                }

                var table = new TableWriter("time", "actor", "action", "target", "id");
                foreach (var r in page.Records)
                {
                    table.AddRow(Formats.Time(r.OccurredAt), r.ActorId ?? "anonymous", r.Action, r.TargetType, r.TargetId ?? "-");
                }

                table.Write(context.Output);
                context.Output.WriteLine($"{page.Records.Count} changes.");
            }
            else
            {
                var page = await trail.QueryDataPlaneAsync(query, ct);
                if (context.Json)
                {
                    JsonOutput.Write(context.Output, new { items = page.Records, next = page.NextBefore });
                    return ExitCodes.Success;
                }

                var table = new TableWriter("time", "actor", "action", "decision", "key", "reason");
                foreach (var r in page.Records)
                {
                    table.AddRow(Formats.Time(r.OccurredAt), r.ActorId ?? "anonymous", r.Action, r.Decision == AuditDecision.Allow ? "allow" : "deny", r.KeyId?.ToString() ?? "-", r.Reason ?? "-");
                }

                table.Write(context.Output);
                context.Output.WriteLine($"{page.Records.Count} decisions.");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateExport(CliSession session)
    {
        var filters = new Filters();
        var output = new Option<string?>("--out") { Description = "The file to write (JSON Lines); default: standard output.", HelpName = "path" };
        var command = new Command("export", "Write every matching audit record as JSON Lines, newest first.") { output };
        filters.AddTo(command);
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var (plane, query) = filters.Read(parse);
            var services = await context.StartAsync(ct);
            var trail = CommandContext.Get<IAuditTrail>(services);
            var path = parse.GetValue(output) is { } o ? Path.GetFullPath(o, context.WorkingDirectory) : null;
            long written;
            await using (Stream destination = path is null ? new MemoryStream() : new FileStream(path, FileMode.CreateNew, FileAccess.Write))
            {
                written = plane == Control
                    ? await trail.ExportControlPlaneAsync(query with { PageSize = AuditQuery.MaxPageSize }, destination, ct)
                    : await trail.ExportDataPlaneAsync(query with { PageSize = AuditQuery.MaxPageSize }, destination, ct);
                if (destination is MemoryStream memory)
                {
                    await context.Output.WriteAsync(System.Text.Encoding.UTF8.GetString(memory.ToArray()));
                }
            }

            if (path is not null)
            {
                context.Output.WriteLine($"{written} records written to {path}.");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The filters both commands take.</summary>
    private sealed class Filters
    {
        private readonly Option<string> _plane = new("--plane") { Description = "Which log: control (changes) or data (decisions).", HelpName = "control|data", DefaultValueFactory = _ => Control };
        private readonly Option<string?> _action = new("--action") { Description = "Only this action, such as key.revoke or sign.", HelpName = "action" };
        private readonly Option<string?> _actor = new("--actor") { Description = "Only this actor, such as user:<id> or system:keyinfra-cli.", HelpName = "id" };
        private readonly Option<string?> _targetType = new("--target-type") { Description = "Control plane: only changes to this kind of target (key, user, application, ...).", HelpName = "type" };
        private readonly Option<string?> _targetId = new("--target-id") { Description = "Control plane: only changes to this target.", HelpName = "id" };
        private readonly Option<string?> _key = new("--key") { Description = "Data plane: only decisions about this key id.", HelpName = "id" };
        private readonly Option<string?> _decision = new("--decision") { Description = "Data plane: only allowed or only denied decisions.", HelpName = "allow|deny" };
        private readonly Option<string?> _from = new("--from") { Description = "Records at or after this time (ISO 8601).", HelpName = "time" };
        private readonly Option<string?> _to = new("--to") { Description = "Records before this time (ISO 8601).", HelpName = "time" };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { _plane, _action, _actor, _targetType, _targetId, _key, _decision, _from, _to })
            {
                command.Options.Add(option);
            }
        }

        public (string Plane, AuditQuery Query) Read(ParseResult parse)
        {
            var plane = parse.GetValue(_plane);
            if (plane is not (Control or Data))
            {
                throw new UsageException($"--plane '{InputParser.Shorten(plane ?? string.Empty)}' is not a log: use control (changes) or data (decisions).");
            }

            var query = new AuditQuery
            {
                Action = parse.GetValue(_action),
                ActorId = parse.GetValue(_actor),
                TargetType = parse.GetValue(_targetType),
                TargetId = parse.GetValue(_targetId),
                KeyId = parse.GetValue(_key) is { } k ? InputParser.ParseKeyId(k, "--key").Value : null,
                Decision = parse.GetValue(_decision) switch
                {
                    null => null,
                    "allow" => AuditDecision.Allow,
                    "deny" => AuditDecision.Deny,
                    var other => throw new UsageException($"--decision '{InputParser.Shorten(other)}' is not a decision: use allow or deny."),
                },
                From = parse.GetValue(_from) is { } f ? InputParser.ParseTimestamp(f, "--from") : null,
                To = parse.GetValue(_to) is { } t ? InputParser.ParseTimestamp(t, "--to") : null,
            };
            if (plane == Control && (query.KeyId is not null || query.Decision is not null))
            {
                throw new UsageException("--key and --decision filter the data plane: add --plane data, or filter changes by --target-type and --target-id.");
            }

            if (plane == Data && (query.TargetType is not null || query.TargetId is not null))
            {
                throw new UsageException("--target-type and --target-id filter the control plane: drop --plane data, or filter decisions by --key.");
            }

            if (query.From is { } start && query.To is { } end && end <= start)
            {
                throw new UsageException("--to must be after --from.");
            }

            return (plane, query);
        }
    }
}
