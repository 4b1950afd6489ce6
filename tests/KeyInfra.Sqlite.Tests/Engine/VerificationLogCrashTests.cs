using Microsoft.Data.Sqlite;

namespace KeyInfra.Sqlite.Tests.Engine;

/// <summary>
/// The Durable promise: a real host process (tests/KeyInfra.CrashHost) under Durable load, killed with SIGKILL, then
/// started again on the same file and killed again: no record whose VerifyAsync had returned, in either run, may be
/// missing from the SQLite file afterwards.
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
        var masterKey = KeyInfraTestHost.NewMasterKey();
        try
        {
            // Arrange: each run verifies with 8 concurrent callers and prints each record id once its call returns.
            var acknowledged = new List<Guid>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));

            // Act: kill a run mid-flight, start another on the file the kill left (WAL recovery, migrations checked
            // again), and kill that one too.
            var first = await RunUntilKilledAsync(databasePath, masterKey, acknowledged, timeout.Token);
            var afterFirst = acknowledged.Count;
            var second = await RunUntilKilledAsync(databasePath, masterKey, acknowledged, timeout.Token);

            // Assert: reopen the file the way the next start would and find every id of both runs.
            var stored = ReadRecordIds(databasePath);
            Assert.AreNotEqual(0, first, "The first run was killed, not stopped.");
            Assert.AreNotEqual(0, second, "The second run was killed, not stopped.");
            Assert.IsGreaterThanOrEqualTo(AcknowledgementsBeforeKill, afterFirst);
            Assert.IsGreaterThanOrEqualTo(2 * AcknowledgementsBeforeKill, acknowledged.Count);
            var missing = acknowledged.Where(id => !stored.Contains(id)).ToList();
            Assert.IsEmpty(missing, $"{missing.Count} of {acknowledged.Count} acknowledged records are missing, such as {missing.FirstOrDefault()}.");
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(folder);
        }
    }

    /// <summary>Runs the crash host until it has acknowledged enough records, kills it, collects every line it printed; returns its exit code.</summary>
    private static async Task<int> RunUntilKilledAsync(string databasePath, string masterKey, List<Guid> acknowledged, CancellationToken cancellationToken)
    {
        using var child = CrashHostProcess.Start(databasePath, masterKey, "8");
        var target = acknowledged.Count + AcknowledgementsBeforeKill;
        string? keyLine = null;
        try
        {
            while (acknowledged.Count < target)
            {
                Collect(await child.ReadRequiredLineAsync(cancellationToken), acknowledged, ref keyLine);
            }
        }
        finally
        {
            child.Kill(); // the log writer dies where it stands
        }

        // Lines already written to the pipe before the kill were acknowledged too.
        string? rest;
        while ((rest = await child.ReadLineAsync(cancellationToken)) is not null)
        {
            Collect(rest, acknowledged, ref keyLine);
        }

        await child.WaitForExitAsync(cancellationToken);
        Assert.IsNotNull(keyLine, "The crash host never reported its key.");
        return child.ExitCode;
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
