using System.Diagnostics;
using KeyInfra.Encryption;

namespace KeyInfra.Sqlite.Tests.Engine;

/// <summary>A running tests/KeyInfra.CrashHost child process on a SQLite file, read line by line and killed with SIGKILL.</summary>
internal sealed class CrashHostProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _errors;

    private CrashHostProcess(Process process)
    {
        _process = process;
        _errors = process.StandardError.ReadToEndAsync();
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts the crash host with <paramref name="mode"/> (a number of callers, or <c>hold-migration-lock</c>).</summary>
    public static CrashHostProcess Start(string databasePath, string masterKey, string mode)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "KeyInfra.CrashHost.dll"));
        start.ArgumentList.Add(databasePath);
        start.ArgumentList.Add(mode);
        start.Environment[EnvironmentMasterKeyOptions.MasterKeyVariable] = masterKey;
        start.Environment.Remove(EnvironmentMasterKeyOptions.MasterSecretVariable);
        start.Environment.Remove(EnvironmentMasterKeyOptions.PreviousMasterKeysVariable);
        start.Environment.Remove(EnvironmentMasterKeyOptions.MasterKeyIdVariable);
        return new CrashHostProcess(Process.Start(start)!);
    }

    /// <summary>The next line the child printed, or <c>null</c> once its output has ended.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
        => await _process.StandardOutput.ReadLineAsync(cancellationToken);

    /// <summary>The next line; fails the test with the child's stderr if it exited first.</summary>
    public async Task<string> ReadRequiredLineAsync(CancellationToken cancellationToken)
        => await ReadLineAsync(cancellationToken)
            ?? throw new AssertFailedException($"The crash host exited early (exit code {(_process.HasExited ? _process.ExitCode : -1)}): {await _errors}");

    /// <summary>SIGKILL on Linux and macOS: no shutdown code runs.</summary>
    public void Kill() => _process.Kill();

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
    }
}
