using System.Collections.Concurrent;
using System.Diagnostics;
using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Verification;
using Npgsql;

namespace KeyInfra.PostgreSql.Tests;

/// <summary>
/// A test server is stopped and started again in the middle of a Durable verification load: the second server
/// tests/provision-postgresql.sh starts for this test alone, since the other test processes (the sample's) and this
/// one's parallel tests use the first meanwhile.
/// </summary>
[TestClass]
public sealed class ServerRestartTests
{
    private static readonly byte[] s_document = "restart test document"u8.ToArray();

    [TestMethod]
    public async Task DurableLoad_ServerRestarted_AcknowledgedRecordsKeptFailuresClearAndLoadResumes()
    {
        await using var database = await PostgreSqlTestDatabase.CreateAsync(server: PostgreSqlTestServer.Restartable);
        var host = await PostgreSqlTestHost.StartAsync(database.AppConnectionString, PostgreSqlTestHost.NewMasterKey(), o => o.KeyCache.TimeToLive = TimeSpan.FromHours(1));
        var acknowledged = new ConcurrentQueue<Guid>();
        var failures = new ConcurrentQueue<Exception>();
        var acknowledgedAfterRestart = 0;
        var restarted = false;
        try
        {
            var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "restart"));
            var signature = (await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, s_document))).Signature;
            var verifier = host.Get<IVerifier>();
            using var stop = new CancellationTokenSource();
            var callers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        var result = await verifier.VerifyAsync(new VerificationRequest(key.Id, s_document, signature));
                        Assert.AreEqual(VerificationStatus.Valid, result.Status);
                        acknowledged.Enqueue(result.RecordId!.Value);
                        if (Volatile.Read(ref restarted))
                        {
                            Interlocked.Increment(ref acknowledgedAfterRestart);
                        }
                    }
                    catch (Exception ex)
                    {
                        failures.Enqueue(ex);
                        await Task.Delay(10);
                    }
                }
            })).ToArray();

            await WaitUntilAsync(() => acknowledged.Count >= 100, "the load to get going");
            await PgCtlAsync("stop", "-m", "fast");
            await WaitUntilAsync(() => !failures.IsEmpty, "a caller to see the server gone");
            await PgCtlAsync("start");
            Volatile.Write(ref restarted, true);
            await WaitUntilAsync(() => Volatile.Read(ref acknowledgedAfterRestart) >= 100, "the load to resume");
            await stop.CancelAsync();
            await Task.WhenAll(callers);
        }
        finally
        {
            await host.DisposeAsync();

            // The test's own pooled connections died with the server.
            NpgsqlConnection.ClearAllPools();
        }

        var ids = acknowledged.ToArray();
        var stored = await database.AdminScalarAsync<long>("SELECT count(*) FROM verification_records WHERE id = ANY($1)", ids);
        Assert.AreEqual(ids.Length, stored, "Every acknowledged verification is in the log.");
        // Which callers fail, and how, depends on what each was doing when the server went: waiting for a commit
        // (VerificationLogException) or looking up the key after the listener dropped every cached key
        // (StorageUnavailable). Which of the two happens first is a race, so only the kinds are asserted, not a mix.
        Assert.IsFalse(failures.IsEmpty);
        foreach (var failure in failures)
        {
            // Either the record's commit failed, or (the listener having dropped every cached key when its
            // connection went, so a revocation made meanwhile cannot be missed) the key could not be looked up.
            var error = Assert.IsInstanceOfType<KeyInfraException>(failure, failure.ToString());
            if (error is VerificationLogException)
            {
                Assert.AreEqual(ErrorCodes.VerificationLogWriteFailed, error.ErrorCode);
                StringAssert.Contains(error.Message, "may still appear in the log");
            }
            else
            {
                Assert.AreEqual(ErrorCodes.StorageUnavailable, error.ErrorCode, error.ToString());
            }
        }
    }

    private static async Task PgCtlAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(PostgreSqlTestServer.RestartablePgCtl);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.AreEqual(0, process.ExitCode, $"pg_ctl {string.Join(' ', arguments)} failed: {await output} {await error}");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                Assert.Fail($"Gave up waiting for {what} after 60 seconds.");
            }

            await Task.Delay(10);
        }
    }
}
