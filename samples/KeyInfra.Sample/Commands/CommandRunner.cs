using System.CommandLine;
using KeyInfra.Errors;
using KeyInfra.Sample.Hosting;
using KeyInfra.Sample.Input;
using KeyInfra.Verification;
using Microsoft.Extensions.Options;

namespace KeyInfra.Sample.Commands;

/// <summary>
/// Runs a command's handler with its <see cref="CommandContext"/> and turns every failure into one line on
/// stderr and an exit code: no stack traces, KeyInfra errors with their KIxxxx code.
/// </summary>
internal static class CommandRunner
{
    public delegate Task<int> Handler(ParseResult parseResult, CommandContext context, CancellationToken cancellationToken);

    public static void SetHandler(Command command, CliSession session, Handler handler)
        => command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, session, handler, cancellationToken));

    private static async Task<int> RunAsync(ParseResult parseResult, CliSession session, Handler handler, CancellationToken cancellationToken)
    {
        try
        {
            var database = parseResult.GetValue(session.DatabaseOption);
            var databasePath = string.IsNullOrWhiteSpace(database)
                ? SampleHost.DefaultDatabasePath(session.WorkingDirectory)
                : Path.GetFullPath(database, session.WorkingDirectory);
            await using var context = new CommandContext(session, databasePath, parseResult.GetValue(session.JsonOption));
            return await handler(parseResult, context, cancellationToken);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Report(e, session.Error, cancellationToken);
        }
    }

    /// <summary>Writes the one-line error for <paramref name="exception"/> and returns the exit code.</summary>
    public static int Report(Exception exception, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exception);
        while (exception is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            exception = aggregate.InnerExceptions[0];
        }

        switch (exception)
        {
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                error.WriteLine("Cancelled.");
                return ExitCodes.Cancelled;
            case UsageException usage:
                error.WriteLine($"error: {usage.Message}");
                return ExitCodes.BadInput;
            case VerificationLogException log:
                error.WriteLine($"error: {log.Message}");
                return ExitCodes.Failure;
            case KeyInfraException keyInfra:
                // The message starts with the stable code ("KI1106: ..."), which docs/errors.md explains.
                error.WriteLine($"error: {OneLine(keyInfra.Message)}");
                return ExitCodes.BadInput;
            case OptionsValidationException options:
                error.WriteLine($"error: the configuration is invalid: {OneLine(string.Join(" ", options.Failures))} Fix the KeyInfra section of appsettings.json or the KeyInfra__ environment variables.");
                return ExitCodes.BadInput;
            case ArgumentException argument:
                error.WriteLine($"error: {OneLine(WithoutParameterName(argument))}");
                return ExitCodes.BadInput;
            case NotSupportedException notSupported:
                error.WriteLine($"error: {OneLine(notSupported.Message)}");
                return ExitCodes.BadInput;
            default:
                error.WriteLine($"error: unexpected {exception.GetType().Name}: {OneLine(exception.Message)}");
                return ExitCodes.Failure;
        }
    }

    private static string WithoutParameterName(ArgumentException exception)
        => exception.ParamName is { } name
            ? exception.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal)
            : exception.Message;

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
