using System.Diagnostics;

namespace KeyInfra.Tests;

/// <summary>
/// The openssl command-line tool, run as a second opinion on what KeyInfra issues (certificates, CRLs, PKCS#12): an
/// implementation that shares no code with .NET's. The test script installs it when it is missing.
/// </summary>
internal static class OpenSsl
{
    /// <summary>Runs openssl with <paramref name="arguments"/>; returns its exit code and its output (stdout, then stderr).</summary>
    public static (int ExitCode, string Output) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"openssl {string.Join(' ', arguments)} did not finish in 60 s.");
        }

        return (process.ExitCode, output.GetAwaiter().GetResult() + error.GetAwaiter().GetResult());
    }

    /// <summary>Runs openssl and fails the test unless it exits with 0; returns its output.</summary>
    public static string Succeed(params string[] arguments)
    {
        var (exitCode, output) = Run(arguments);
        if (exitCode != 0)
        {
            throw new AssertFailedException($"openssl {string.Join(' ', arguments)} exited with {exitCode}: {output}");
        }

        return output;
    }
}
