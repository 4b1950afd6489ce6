using System.CommandLine;
using KeyInfra.Sample.Input;
using KeyInfra.Sample.Output;
using KeyInfra.Verification;

namespace KeyInfra.Sample.Commands;

/// <summary><c>verify-batch</c>: verifies a JSON Lines file of requests as one recorded batch.</summary>
internal static class VerifyBatchCommand
{
    public static Command Create(CliSession session)
    {
        var file = new Option<string>("--file")
        {
            Description = "JSON Lines, one request per line: {\"keyId\":\"…\",\"data\":\"<base64>\" or \"text\":\"…\",\"signature\":\"<base64>\"}.",
            HelpName = "requests.jsonl",
            Required = true,
        };
        var command = new Command("verify-batch", "Verify many signatures as one batch. Exit code 0 if all are valid, 1 if not.") { file };
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            // The whole file is checked first: a malformed line means nothing is verified or recorded.
            var lines = BatchFileReader.Read(parse.GetRequiredValue(file), context.WorkingDirectory);

            var services = await context.StartAsync(ct);
            var result = await CommandContext.Get<IVerifier>(services).VerifyBatchAsync(
                lines.Select(l => l.Request).ToArray(), "keyinfra-sample", progress: null, ct);

            var rows = lines.Zip(result.Results, (line, r) => new { line = line.LineNumber, keyId = r.KeyId, status = r.Status });
            var invalid = result.Results.Count - result.ValidCount;
            if (context.Json)
            {
                JsonOutput.Write(context.Output, new
                {
                    batchId = result.BatchId,
                    total = result.Results.Count,
                    valid = result.ValidCount,
                    invalid,
                    results = rows,
                });
            }
            else
            {
                var table = new TableWriter("LINE", "KEY", "STATUS");
                foreach (var row in rows)
                {
                    table.AddRow(Formats.Number(row.line), row.keyId.ToString(), row.status.ToString());
                }

                table.Write(context.Output);
                context.Output.WriteLine($"{result.Results.Count} requests: {result.ValidCount} valid, {invalid} not valid." +
                    (result.BatchId is { } id ? $" Recorded as batch {id}." : string.Empty));
            }

            return result.AllValid ? ExitCodes.Success : ExitCodes.NotValid;
        });
        return command;
    }
}
