using System.CommandLine;

namespace KeyInfra.Sample.Commands;

/// <summary>What every command of one invocation shares: the streams, the working directory and the global options.</summary>
internal sealed class CliSession(TextWriter output, TextWriter error, Stream input, string workingDirectory, bool interactiveInput = false, bool interactiveError = false)
{
    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    public Stream Input { get; } = input;

    public string WorkingDirectory { get; } = workingDirectory;

    /// <summary>Whether standard input is the console's terminal (not redirected), so a PIN can be typed without echo.</summary>
    public bool InteractiveInput { get; } = interactiveInput;

    /// <summary>Whether standard error is the console's terminal (not redirected), so progress can be redrawn in place.</summary>
    public bool InteractiveError { get; } = interactiveError;

    /// <summary><c>--db &lt;path&gt;</c>: the SQLite file, on every command.</summary>
    public Option<string> DatabaseOption { get; } = new("--db")
    {
        Description = $"The SQLite database file (default: {Hosting.SampleHost.DataDirectoryName}/{Hosting.SampleHost.DatabaseFileName} in the current folder).",
        HelpName = "path",
        Recursive = true,
    };

    /// <summary><c>--json</c>: machine-readable output, on every command.</summary>
    public Option<bool> JsonOption { get; } = new("--json")
    {
        Description = "Print JSON (camelCase, enums as names) instead of tables.",
        Recursive = true,
    };
}
