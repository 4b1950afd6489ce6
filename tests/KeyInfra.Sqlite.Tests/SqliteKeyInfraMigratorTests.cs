using KeyInfra.Errors;
using KeyInfra.Sqlite.Storage;
using KeyInfra.Sqlite.Tests.Engine;
using Microsoft.Data.Sqlite;

namespace KeyInfra.Sqlite.Tests;

/// <summary>
/// The SQLite migrator's lock: an OS lock file beside the database around every migration, a stale EF Core lock row
/// (<c>__EFMigrationsLock</c>) cleared while holding it, and no migrator at all when nothing is pending.
/// </summary>
[TestClass]
public sealed class SqliteKeyInfraMigratorTests
{
    private static string s_directory = "";

    [ClassInitialize]
    public static void ClassInitialize(TestContext context) => s_directory = SqliteTestDatabase.NewDirectory(nameof(SqliteKeyInfraMigratorTests));

    [ClassCleanup]
    public static void ClassCleanup() => SqliteTestDatabase.DeleteDirectory(s_directory);

    [TestMethod]
    public async Task MigrateAsync_KilledWhileEfHeldItsLock_NextStartMigrates()
    {
        // Arrange: a host process starts migrating a new file and is killed right after EF Core took its lock row.
        var directory = Path.Combine(s_directory, "killed");
        Directory.CreateDirectory(directory);
        var databasePath = Path.Combine(directory, "keyinfra.db");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using (var child = CrashHostProcess.Start(databasePath, KeyInfraTestHost.NewMasterKey(), "hold-migration-lock"))
        {
            Assert.AreEqual("migration-lock-held", await child.ReadRequiredLineAsync(timeout.Token));
            child.Kill();
            await child.WaitForExitAsync(timeout.Token);
        }

        Assert.AreEqual(1L, Count(databasePath, $"SELECT COUNT(*) FROM \"{SqliteKeyInfraMigrator.EfLockTable}\""), "The kill left EF Core's lock row behind.");

        // Act: the next start migrates the same file (EF alone would wait for the dead process's row, then fail).
        await using var database = new SqliteTestDatabase(directory, configure: o => o.MigrationLockTimeout = TimeSpan.FromSeconds(30));
        await database.Migrator.MigrateAsync(cancellationToken: timeout.Token);

        // Assert
        Assert.IsTrue((await database.Migrator.GetStatusAsync(timeout.Token)).IsUpToDate);
        Assert.AreEqual(0L, await database.CountAsync($"SELECT COUNT(*) FROM \"{SqliteKeyInfraMigrator.EfLockTable}\""));
        Assert.AreEqual(1L, await database.CountAsync("SELECT COUNT(*) FROM sqlite_master WHERE name = 'public_keys'"));
    }

    [TestMethod]
    public async Task MigrateAsync_StaleEfLockRowAndPendingMigrations_ClearsTheRowAndMigrates()
    {
        // Arrange: half-migrated, with the lock row a dead process left.
        await using var database = new SqliteTestDatabase(s_directory, "stale-row.db");
        var first = (await database.Migrator.GetStatusAsync()).Pending[0];
        await database.Migrator.MigrateAsync(first);
        await database.ScalarAsync($"CREATE TABLE IF NOT EXISTS \"{SqliteKeyInfraMigrator.EfLockTable}\" (\"Id\" INTEGER NOT NULL CONSTRAINT \"PK___EFMigrationsLock\" PRIMARY KEY, \"Timestamp\" TEXT NOT NULL)");
        await database.ScalarAsync($"INSERT INTO \"{SqliteKeyInfraMigrator.EfLockTable}\" VALUES (1, '2026-01-01 00:00:00')");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));

        // Act
        await database.Migrator.MigrateAsync(cancellationToken: timeout.Token);

        // Assert
        Assert.IsTrue((await database.Migrator.GetStatusAsync()).IsUpToDate);
        Assert.AreEqual(0L, await database.CountAsync($"SELECT COUNT(*) FROM \"{SqliteKeyInfraMigrator.EfLockTable}\""));
    }

    [TestMethod]
    public async Task MigrateAsync_NothingPending_DoesNotRunTheEfMigrator()
    {
        // Arrange: a current schema without EF's lock table (the EF migrator creates it whenever it runs).
        await using var database = await SqliteTestDatabase.CreateMigratedAsync(s_directory, "current.db");
        await database.ScalarAsync($"DROP TABLE IF EXISTS \"{SqliteKeyInfraMigrator.EfLockTable}\"");

        // Act
        await database.Migrator.MigrateAsync();

        // Assert
        Assert.AreEqual(0L, await database.CountAsync($"SELECT COUNT(*) FROM sqlite_master WHERE name = '{SqliteKeyInfraMigrator.EfLockTable}'"));
        Assert.IsTrue((await database.Migrator.GetStatusAsync()).IsUpToDate);
    }

    [TestMethod]
    public async Task MigrateAsync_LockFileHeldPastTheTimeout_ThrowsMigrationLockTimeoutAndChangesNothing()
    {
        // Arrange: another migrator holds the lock file for the whole call.
        await using var database = new SqliteTestDatabase(s_directory, "held.db", o => o.MigrationLockTimeout = TimeSpan.FromMilliseconds(300));
        using var held = new FileStream(database.FilePath + SqliteKeyInfraMigrator.LockFileSuffix, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

        // Act
        var error = await Assert.ThrowsExactlyAsync<KeyInfraException>(() => database.Migrator.MigrateAsync());

        // Assert
        Assert.AreEqual(ErrorCodes.MigrationLockTimeout, error.ErrorCode);
        StringAssert.Contains(error.Message, SqliteKeyInfraMigrator.LockFileSuffix);
        Assert.IsFalse((await database.Migrator.GetStatusAsync()).IsUpToDate, "Nothing was migrated without the lock.");
    }

    [TestMethod]
    public async Task MigrateAsync_LockFileReleased_WaitingMigratorProceeds()
    {
        // Arrange: the lock file is held, then released while the migrator waits for it.
        await using var database = new SqliteTestDatabase(s_directory, "released.db", o => o.MigrationLockTimeout = TimeSpan.FromMinutes(1));
        var held = new FileStream(database.FilePath + SqliteKeyInfraMigrator.LockFileSuffix, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        var migration = database.Migrator.MigrateAsync();
        var waitedWhileHeld = !migration.IsCompleted;

        // Act
        await held.DisposeAsync();
        await migration;

        // Assert
        Assert.IsTrue(waitedWhileHeld, "The migrator did not finish while the lock file was held.");
        Assert.IsTrue((await database.Migrator.GetStatusAsync()).IsUpToDate);
    }

    private static long Count(string databasePath, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
