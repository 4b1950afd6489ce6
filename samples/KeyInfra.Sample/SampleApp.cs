using System.CommandLine;
using KeyInfra.Sample.Commands;

namespace KeyInfra.Sample;

/// <summary>
/// The sample CLI as a method, so it runs in-process (tests call it; <c>Program</c> calls it with the console).
/// </summary>
public static class SampleApp
{
    /// <summary>Runs the sample with no standard input (an <c>import</c> must then name its <c>--file</c>).</summary>
    /// <param name="args">The command line, without the program name.</param>
    /// <param name="output">Where results go (stdout).</param>
    /// <param name="error">Where errors, warnings and logs go (stderr).</param>
    /// <param name="workingDirectory">The folder relative paths and the default <c>.keyinfra/</c> folder are under; default: the current directory.</param>
    /// <param name="cancellationToken">Stops the command (Ctrl+C).</param>
    /// <returns>The exit code: 0 done (or valid), 1 not valid, 2 bad input or a KeyInfra error, 3 unexpected failure, 130 cancelled.</returns>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, string? workingDirectory = null, CancellationToken cancellationToken = default)
        => RunAsync(args, Stream.Null, output, error, workingDirectory, cancellationToken);

    /// <summary>Runs the sample, reading standard input from <paramref name="input"/> (<c>keys import</c> without <c>--file</c>).</summary>
    /// <param name="args">The command line, without the program name.</param>
    /// <param name="input">Standard input.</param>
    /// <param name="output">Where results go (stdout).</param>
    /// <param name="error">Where errors, warnings and logs go (stderr).</param>
    /// <param name="workingDirectory">The folder relative paths and the default <c>.keyinfra/</c> folder are under; default: the current directory.</param>
    /// <param name="cancellationToken">Stops the command (Ctrl+C).</param>
    /// <returns>The exit code (see the other overload).</returns>
    public static Task<int> RunAsync(
        string[] args, Stream input, TextWriter output, TextWriter error, string? workingDirectory = null, CancellationToken cancellationToken = default)
        => RunAsync(args, input, output, error, workingDirectory, interactiveInput: false, interactiveError: false, cancellationToken);

    /// <summary>Runs the sample on the process's console (what <c>Program</c> calls): a PIN may then be typed at the terminal.</summary>
    internal static Task<int> RunConsoleAsync(string[] args, CancellationToken cancellationToken)
        => RunAsync(args, Console.OpenStandardInput(), Console.Out, Console.Error, workingDirectory: null, interactiveInput: !Console.IsInputRedirected, interactiveError: !Console.IsErrorRedirected, cancellationToken);

    private static async Task<int> RunAsync(
        string[] args, Stream input, TextWriter output, TextWriter error, string? workingDirectory, bool interactiveInput, bool interactiveError, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        // The log writer and the command write from different threads.
        var synchronizedOutput = TextWriter.Synchronized(output);
        var synchronizedError = TextWriter.Synchronized(error);
        var session = new CliSession(synchronizedOutput, synchronizedError, input, Path.GetFullPath(workingDirectory ?? Environment.CurrentDirectory), interactiveInput, interactiveError);
        var root = RootCommandFactory.Create(session);

        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            var messages = string.Join("; ", parseResult.Errors.Select(e => e.Message.TrimEnd('.')));
            await synchronizedError.WriteLineAsync($"error: {messages}. Run with --help for usage.");
            return ExitCodes.BadInput;
        }

        var configuration = new InvocationConfiguration
        {
            Output = synchronizedOutput,
            Error = synchronizedError,

            // Errors are reported by CommandRunner, one line each; Ctrl+C is the caller's cancellationToken.
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        try
        {
            return await parseResult.InvokeAsync(configuration, cancellationToken);
        }
        finally
        {
            await synchronizedOutput.FlushAsync(CancellationToken.None);
            await synchronizedError.FlushAsync(CancellationToken.None);
        }
    }
}
