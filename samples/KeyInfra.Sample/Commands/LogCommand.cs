using System.CommandLine;
using KeyInfra.Sample.Input;
using KeyInfra.Sample.Output;
using KeyInfra.Verification;
using KeyInfra.Verification.Chain;

namespace KeyInfra.Sample.Commands;

/// <summary>
/// <c>log</c>: the newest verification log entries (hashes of documents, never the documents); <c>log verify</c>: check
/// the log against its chain of authenticated digests.
/// </summary>
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
        var callerId = new Option<string?>("--caller") { Description = "Only entries this caller made (its stable id, such as user:<id>).", HelpName = "id" };
        var limit = new Option<int>("--limit") { Description = "How many entries, newest first (1–1000).", DefaultValueFactory = _ => 20 };
        var batch = new Option<string?>("--batch") { Description = "Show the items of this batch (the id verify-batch prints) instead.", HelpName = "id" };
        var command = new Command("log", "Show the verification log, newest first, or one batch's items.")
        {
            key, status, callerId, limit, batch,
            CreateVerify(session, "Check the verification log (and the audit logs, chained with it) against its chains: report modified, deleted and inserted entries and broken links. Exit code 1 when anything is found."),
        };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            if (parse.GetValue(batch) is { } batchText)
            {
                if (parse.GetValue(key) is not null || parse.GetValue(status) is not null || parse.GetValue(callerId) is not null)
                {
                    throw new UsageException("--batch shows a whole batch; it cannot be combined with --key, --status or --caller.");
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
                CallerId = parse.GetValue(callerId),
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

    /// <summary>The chain walk, as <c>log verify</c> and <c>audit verify</c>.</summary>
    public static Command CreateVerify(CliSession session, string description)
    {
        var from = new Option<string?>("--from") { Description = "Check the groups committed at or after this time (ISO 8601); default: the beginning.", HelpName = "time" };
        var to = new Option<string?>("--to") { Description = "Check the groups committed before this time (ISO 8601); default: now.", HelpName = "time" };
        var heads = new Option<string[]>("--head")
        {
            Description = "A chain head kept outside the database (kih1:..., as logged by event 1100 or printed by an earlier run); repeat for several chains.",
            HelpName = "kih1:...",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("verify", description)
        {
            from, to, heads,
        };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var expected = new List<LogChainHead>();
            foreach (var text in parse.GetValue(heads) ?? [])
            {
                if (!LogChainHead.TryParse(text, out var head))
                {
                    throw new UsageException($"--head '{InputParser.Shorten(text)}' is not a chain head: write it as KeyInfra logs it, kih1:<chain id>:<tenant id>:<sequence>:<64 hex digits>.");
                }

                expected.Add(head);
            }

            var request = new LogAuditRequest
            {
                From = parse.GetValue(from) is { } f ? InputParser.ParseTimestamp(f, "--from") : null,
                To = parse.GetValue(to) is { } t ? InputParser.ParseTimestamp(t, "--to") : null,
                ExpectedHeads = expected,
            };
            if (request.From is { } start && request.To is { } end && end <= start)
            {
                throw new UsageException("--to must be after --from.");
            }

            var services = await context.StartAsync(ct);
            var report = await CommandContext.Get<IVerificationLogAuditor>(services).VerifyAsync(request, cancellationToken: ct);
            if (context.Json)
            {
                JsonOutput.Write(context.Output, new
                {
                    clean = report.IsClean,
                    tenantId = report.TenantId,
                    from = report.From,
                    to = report.To,
                    chains = report.ChainCount,
                    groups = report.GroupCount,
                    entries = report.EntryCount,
                    modified = report.Modified.Select(Finding),
                    deleted = report.Deleted.Select(Finding),
                    inserted = report.Inserted.Select(Finding),
                    brokenLinks = report.BrokenLinks.Select(b => new { chainId = b.ChainId, sequence = b.Sequence, kind = b.Kind.ToString() }),
                    checkpoints = report.Checkpoints.Select(c => new { chainId = c.Digest.ChainId, sequence = c.Digest.Sequence, droppedBefore = c.DroppedBefore }),
                    newestHeads = report.NewestHeads.Select(h => h.ToString()),
                    headsNotChecked = report.HeadsNotChecked,
                });
                return report.IsClean ? ExitCodes.Success : ExitCodes.NotValid;
            }

            var findings = new TableWriter("finding", "table", "id", "chain", "group");
            foreach (var (name, list) in new[] { ("modified", report.Modified), ("deleted", report.Deleted), ("inserted", report.Inserted) })
            {
                foreach (var entry in list)
                {
                    findings.AddRow(name, Names.Kebab(entry.Kind), entry.Id.ToString(), entry.ChainId?.ToString() ?? "-", entry.ChainId is null ? "-" : entry.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
            }

            foreach (var broken in report.BrokenLinks)
            {
                findings.AddRow("broken link", Names.Kebab(broken.Kind), "-", broken.ChainId.ToString(), broken.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            if (findings.RowCount > 0)
            {
                findings.Write(context.Output);
            }

            foreach (var checkpoint in report.Checkpoints)
            {
                context.Output.WriteLine($"Retention dropped chain {checkpoint.Digest.ChainId} up to group {checkpoint.Digest.Sequence} (records before {Formats.Time(checkpoint.DroppedBefore)}).");
            }

            foreach (var head in report.NewestHeads)
            {
                context.Output.WriteLine($"Newest head: {head}");
            }

            context.Output.WriteLine(report.IsClean
                ? $"Clean: {report.GroupCount} groups in {report.ChainCount} chains, {report.EntryCount} entries, from {Formats.Time(report.From)} to {Formats.Time(report.To)}."
                : $"Tampered: {report.Modified.Count} modified, {report.Deleted.Count} deleted, {report.Inserted.Count} inserted, {report.BrokenLinks.Count} broken links.");
            if (expected.Count == 0)
            {
                context.Output.WriteLine("No --head given: groups cut off the end of a chain cannot be told from groups never written.");
            }

            return report.IsClean ? ExitCodes.Success : ExitCodes.NotValid;
        });
        return command;
    }

    private static object Finding(LogEntryFinding finding)
        => new { table = Names.Kebab(finding.Kind), id = finding.Id, chainId = finding.ChainId, sequence = finding.ChainId is null ? (long?)null : finding.Sequence };
}
