using System.Diagnostics;
using KeyInfra.Encryption;
using Microsoft.Data.Sqlite;

namespace KeyInfra.Sqlite.Tests.Engine;

/// <summary>
/// A real host process (tests/KeyInfra.CrashHost) under Durable load, killed with SIGKILL: no record whose
/// VerifyAsync had returned may be missing from the SQLite file afterwards.
/// </summary>
[TestClass]
public sealed class VerificationLogCrashTests
{
    private const int AcknowledgementsBeforeKill = 400;

    [TestMethod]
    public async Task KilledUnderDurableLoad_EveryAcknowledgedRecordIsInTheLog()
    {
        var folder = KeyInfraTestHost.NewFolder();
        var databasePath = Path.Combine(folder, "keyinfra.db");
        try
        {
            // Arrange: the child verifies with 8 concurrent callers and prints each record id once its call returns.
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "KeyInfra.CrashHost.dll"));
            start.ArgumentList.Add(databasePath);
            start.ArgumentList.Add("8");
            start.Environment[EnvironmentMasterKeyOptions.MasterKeyVariable] = KeyInfraTestHost.NewMasterKey();
            start.Environment.Remove(EnvironmentMasterKeyOptions.MasterSecretVariable);
            start.Environment.Remove(EnvironmentMasterKeyOptions.PreviousMasterKeysVariable);
            start.Environment.Remove(EnvironmentMasterKeyOptions.MasterKeyIdVariable);

            using var child = Process.Start(start)!;
            var errors = child.StandardError.ReadToEndAsync();
            var acknowledged = new List<Guid>();
            string? keyLine = null;
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));

            // Act: read acknowledgements while the load runs, then kill the process mid-flight.
            try
            {
                while (acknowledged.Count < AcknowledgementsBeforeKill)
                {
                    var line = await child.StandardOutput.ReadLineAsync(timeout.Token)
                        ?? throw new AssertFailedException($"The crash host exited early (exit code {(child.HasExited ? child.ExitCode : -1)}): {await errors}");
                    Collect(line, acknowledged, ref keyLine);
                }
            }
            finally
            {
                child.Kill(); // SIGKILL on Linux and macOS: no shutdown code runs, the log writer dies where it stands.
            }

            // Lines already written to the pipe before the kill were acknowledged too.
            string? rest;
            while ((rest = await child.StandardOutput.ReadLineAsync(timeout.Token)) is not null)
            {
                Collect(rest, acknowledged, ref keyLine);
            }

            await child.WaitForExitAsync(timeout.Token);

            // Assert: reopen the file the way the next start would (WAL recovery included) and find every id.
            var stored = ReadRecordIds(databasePath);
            Assert.IsNotNull(keyLine, "The crash host never reported its key.");
            Assert.AreNotEqual(0, child.ExitCode, "The process was killed, not stopped.");
            Assert.IsGreaterThanOrEqualTo(AcknowledgementsBeforeKill, acknowledged.Count);
            var missing = acknowledged.Where(id => !stored.Contains(id)).ToList();
            Assert.IsEmpty(missing, $"{missing.Count} of {acknowledged.Count} acknowledged records are missing, such as {missing.FirstOrDefault()}.");
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(folder);
        }
    }

    private static void Collect(string line, List<Guid> acknowledged, ref string? keyLine)
    {
        if (line.StartsWith("ack ", StringComparison.Ordinal))
        {
            acknowledged.Add(Guid.Parse(line.AsSpan(4)));
        }
        else if (line.StartsWith("key ", StringComparison.Ordinal))
        {
            keyLine = line;
        }
        else if (line.Length > 0)
        {
            Assert.Fail($"Unexpected output from the crash host: {line}");
        }
    }

    private static HashSet<Guid> ReadRecordIds(string databasePath)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM verification_records";
        using var reader = command.ExecuteReader();
        var ids = new HashSet<Guid>();
        while (reader.Read())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }
}
