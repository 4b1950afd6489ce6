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
        var batch = new Option<string?>("--batch") { Description = "Show the items of this batch (the id verify-batch prints) instead.", HelpName = "id" };
        var command = new Command("log", "Show the verification log, newest first, or one batch's items.") { key, status, limit, batch };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            if (parse.GetValue(batch) is { } batchText)
            {
                if (parse.GetValue(key) is not null || parse.GetValue(status) is not null)
                {
                    throw new UsageException("--batch shows a whole batch; it cannot be combined with --key or --status.");
                }

                if (!Guid.TryParse(batchText, out var batchId))
                {
                    throw new UsageException($"--batch '{InputParser.Shorten(batchText)}' is not a batch id: use the UUID that verify-batch printed.");
                }

                return await PrintBatchAsync(context, batchId, ct);
            }

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

    private static async Task<int> PrintBatchAsync(CommandContext context, Guid batchId, CancellationToken cancellationToken)
    {
        var services = await context.StartAsync(cancellationToken);
        var batch = await CommandContext.Get<IVerificationLog>(services).GetBatchAsync(batchId, cancellationToken)
            ?? throw new UsageException($"No batch with id {batchId} is in the verification log. Use the id that verify-batch printed.");
        if (context.Json)
        {
            JsonOutput.Write(context.Output, new
            {
                batchId = batch.Id,
                caller = batch.Caller,
                callerId = batch.CallerId,
                startedAt = batch.StartedAt,
                completedAt = batch.CompletedAt,
                items = batch.Items.Select(VerificationRecordView.From),
            });
            return ExitCodes.Success;
        }

        VerificationRecordView.Table(batch.Items).Write(context.Output);
        context.Output.WriteLine($"Batch {batch.Id}: {batch.Items.Count} items, {batch.Items.Count(i => i.Status == VerificationStatus.Valid)} valid, by {batch.Caller ?? "-"} at {Formats.Time(batch.StartedAt)}.");
        return ExitCodes.Success;
    }
}
