using System.CommandLine;
using KeyInfra.Sample.Input;
using KeyInfra.Sample.Output;
using KeyInfra.Verification;

namespace KeyInfra.Sample.Commands;

/// <summary><c>log</c>: the newest verification log entries (hashes of documents, never the documents).</summary>
internal static class LogCommand
{
    public static Command Create(CliSession session)
    {
        var key = new Option<string?>("--key") { Description = "Only entries for this key id.", HelpName = "id" };
        var status = new Option<string?>("--status")
        {
            Description = "Only entries with this outcome.",
            HelpName = string.Join("|", Enum.GetValues<VerificationStatus>().Select(s => Names.Kebab(s))),
        };
        var limit = new Option<int>("--limit") { Description = "How many entries, newest first (1–1000).", DefaultValueFactory = _ => 20 };
        var command = new Command("log", "Show the verification log, newest first.") { key, status, limit };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var query = new VerificationLogQuery
            {
                KeyId = parse.GetValue(key) is { } k ? InputParser.ParseKeyId(k, "--key") : null,
                Status = parse.GetValue(status) is { } s ? InputParser.ParseEnum<VerificationStatus>(s, "--status") : null,
                PageSize = InputParser.ParseRange(parse.GetValue(limit), "--limit", 1, 1000),
            };
            var services = await context.StartAsync(ct);
            var page = await CommandContext.Get<IVerificationLog>(services).QueryAsync(query, ct);
            if (context.Json)
            {
                JsonOutput.Write(context.Output, new { items = page.Items.Select(VerificationRecordView.From), next = page.NextCursor });
                return ExitCodes.Success;
            }

            VerificationRecordView.Table(page.Items).Write(context.Output);
            context.Output.WriteLine($"{page.Items.Count} entries.");
            return ExitCodes.Success;
        });
        return command;
    }
}
