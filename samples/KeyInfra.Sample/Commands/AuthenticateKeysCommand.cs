using System.CommandLine;
using System.Globalization;
using KeyInfra.RowAuthentication;
using KeyInfra.Sample.Output;

namespace KeyInfra.Sample.Commands;

/// <summary>
/// <c>keys authenticate</c>: gives every key row written before row authentication its MAC, re-authenticates rows under
/// the current master key, and makes the database strict once every row verifies. Resumable: run it again to continue.
/// </summary>
internal static class AuthenticateKeysCommand
{
    public static Command Create(CliSession session)
    {
        var command = new Command(
            "authenticate",
            "Authenticate every key row (MAC under the current master key); when all verify, the database refuses any row without one. Safe to re-run.");
        CommandRunner.SetHandler(command, session, async (parse, context, ct) =>
        {
            var services = await context.StartAsync(ct);
            var progress = context.Json ? null : new SynchronousProgress(s => context.Error.WriteLine(
                string.Create(CultureInfo.InvariantCulture, $"… {s.Examined} rows examined, {s.Authenticated + s.Reauthenticated} authenticated, {s.Refused} refused")));
            var summary = await CommandContext.Get<IKeyRowAuthenticator>(services).AuthenticateAllAsync(progress, ct);
            if (context.Json)
            {
                JsonOutput.Write(context.Output, summary);
                return summary.Refused == 0 ? ExitCodes.Success : ExitCodes.Failure;
            }

            Write(context.Output, summary);
            return summary.Refused == 0 ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    /// <summary>Prints a pass's counts and what they mean (also used by <c>reencrypt</c>).</summary>
    public static void Write(TextWriter output, KeyRowAuthenticationSummary summary)
    {
        new TableWriter("EXAMINED", "AUTHENTICATED", "REAUTHENTICATED", "UNCHANGED", "REFUSED", "STRICT")
            .AddRow(Count(summary.Examined), Count(summary.Authenticated), Count(summary.Reauthenticated), Count(summary.Unchanged), Count(summary.Refused), summary.Strict ? "yes" : "no")
            .Write(output);
        foreach (var id in summary.RefusedKeyIds)
        {
            output.WriteLine($"refused: key {id} failed authentication; it is not used. Restore its row from a backup, or revoke and replace the key.");
        }

        if (summary.Conflicts > 0)
        {
            output.WriteLine($"{Count(summary.Conflicts)} rows changed during the pass; run the command again to finish.");
        }
        else if (summary.Strict)
        {
            output.WriteLine($"Every key row is authenticated under master key {summary.MasterKeyId}; rows without a valid MAC are refused.");
        }
    }

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    // Progress<T> posts to the thread pool; a command's lines must come out in order, before the summary.
    private sealed class SynchronousProgress(Action<KeyRowAuthenticationSummary> report) : IProgress<KeyRowAuthenticationSummary>
    {
        public void Report(KeyRowAuthenticationSummary value) => report(value);
    }
}
