using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Sqlite;
using KeyInfra.Verification;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KeyInfra.Sqlite.Tests.Engine;

/// <summary>
/// A really corrupted SQLite file (pages of the verification log overwritten on disk) fails closed: reads that reach
/// the damage throw <c>KI4701</c> rather than return part of the log, a host with
/// <see cref="SqliteStorageOptions.QuickCheckOnStart"/> does not start on it, and the SQLite health check reports it.
/// </summary>
[TestClass]
public sealed class SqliteCorruptionTests
{
    private const int Records = 1500;
    private static readonly byte[] Document = "corruption"u8.ToArray();

    [TestMethod]
    public async Task QueryAsync_LogPagesOverwritten_ThrowsStorageCorruptAndReturnsNoPart()
    {
        var folder = KeyInfraTestHost.NewFolder();
        try
        {
            // Arrange
            var masterKey = KeyInfraTestHost.NewMasterKey();
            var databasePath = await CreateCorruptDatabaseAsync(folder, masterKey);
            await using var host = await KeyInfraTestHost.StartAsync(folder, masterKey);
            var log = host.Get<IVerificationLog>();

            // Act: page through the whole log, as an auditor would.
            var error = await Assert.ThrowsExactlyAsync<KeyInfraException>(async () =>
            {
                Guid? before = null;
                do
                {
                    var page = await log.QueryAsync(new VerificationLogQuery { PageSize = 1000, Before = before });
                    before = page.NextCursor;
                }
                while (before is not null);
            });

            // Assert
            Assert.AreEqual(ErrorCodes.StorageCorrupt, error.ErrorCode, error.ToString());
            StringAssert.Contains(error.Message, "restore the database from a backup");
            Assert.IsFalse(error.Message.Contains(databasePath, StringComparison.Ordinal) && error.Message.Contains("Data Source", StringComparison.Ordinal));
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(folder);
        }
    }

    [TestMethod]
    public async Task StartAsync_QuickCheckOnStartAndCorruptFile_RefusesToStart()
    {
        var folder = KeyInfraTestHost.NewFolder();
        try
        {
            // Arrange
            var masterKey = KeyInfraTestHost.NewMasterKey();
            await CreateCorruptDatabaseAsync(folder, masterKey);

            // Act
            var error = await Assert.ThrowsExactlyAsync<KeyInfraException>(() => KeyInfraTestHost.StartAsync(
                folder, masterKey, services: s => s.Configure<SqliteStorageOptions>(o => o.QuickCheckOnStart = true)));

            // Assert
            Assert.AreEqual(ErrorCodes.StorageCorrupt, error.ErrorCode, error.ToString());
            StringAssert.Contains(error.Message, "quick_check");
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(folder);
        }
    }

    [TestMethod]
    public async Task StartAsync_QuickCheckOnStartAndSoundFile_Starts()
    {
        var folder = KeyInfraTestHost.NewFolder();
        try
        {
            await using var host = await KeyInfraTestHost.StartAsync(folder, services: s => s.Configure<SqliteStorageOptions>(o => o.QuickCheckOnStart = true));

            var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "sound"));

            Assert.IsNotNull(await host.Get<IKeyStore>().GetAsync(key.Id));
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(folder);
        }
    }

    [TestMethod]
    public async Task IntegrityHealthCheck_SoundThenCorruptFile_HealthyThenUnhealthy()
    {
        var folder = KeyInfraTestHost.NewFolder();
        try
        {
            // Arrange
            var masterKey = KeyInfraTestHost.NewMasterKey();
            await using (var sound = await KeyInfraTestHost.StartAsync(folder, masterKey, services: AddCheck))
            {
                var healthy = await sound.Get<HealthCheckService>().CheckHealthAsync();
                Assert.AreEqual(HealthStatus.Healthy, healthy.Entries[KeyInfraSqliteHealthChecksBuilderExtensions.IntegrityName].Status);
            }

            await CreateCorruptDatabaseAsync(folder, masterKey);
            await using var host = await KeyInfraTestHost.StartAsync(folder, masterKey, services: AddCheck);

            // Act
            var report = await host.Get<HealthCheckService>().CheckHealthAsync();

            // Assert
            var entry = report.Entries[KeyInfraSqliteHealthChecksBuilderExtensions.IntegrityName];
            Assert.AreEqual(HealthStatus.Unhealthy, entry.Status);
            StringAssert.StartsWith(entry.Description, ErrorCodes.StorageCorrupt);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(folder);
        }
    }

    private static void AddCheck(IServiceCollection services) => services.AddHealthChecks().AddKeyInfrastructureSqlite();

    /// <summary>
    /// Fills the log of a real database, checkpoints it into the main file, then overwrites every other page the log
    /// filled with zeros (table and index pages alike): what a torn write or a bad disk leaves. Returns the file's path.
    /// </summary>
    private static async Task<string> CreateCorruptDatabaseAsync(string folder, string masterKey)
    {
        string databasePath;
        long firstLogPage;
        await using (var host = await KeyInfraTestHost.StartAsync(folder, masterKey))
        {
            databasePath = host.DatabasePath;
            var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.Ed25519, "corrupt"));
            var signature = (await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document))).Signature;
            var verifier = host.Get<IVerifier>();
            var request = new VerificationRequest(key.Id, Document, signature);
            Assert.IsTrue((await verifier.VerifyAsync(request)).IsValid);
            firstLogPage = PageCount(databasePath) + 1;
            for (var done = 1; done < Records; done += 100)
            {
                await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => verifier.VerifyAsync(request)));
            }
        }

        SqliteConnection.ClearAllPools();
        long pageSize;
        long pageCount;
        using (var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False"))
        {
            connection.Open();
            Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
            pageSize = (long)Scalar(connection, "PRAGMA page_size")!;
            pageCount = (long)Scalar(connection, "PRAGMA page_count")!;
        }

        Assert.IsGreaterThan(firstLogPage + 8, pageCount, "The log spans enough pages to damage some and keep others.");
        using var file = new FileStream(databasePath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        var zeros = new byte[pageSize];
        for (var page = firstLogPage + 1; page <= pageCount; page += 2)
        {
            file.Position = (page - 1) * pageSize;
            file.Write(zeros);
        }

        file.Flush(flushToDisk: true);
        return databasePath;
    }

    private static long PageCount(string databasePath)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        return (long)Scalar(connection, "PRAGMA page_count")!;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
