using KeyInfra.Errors;
using KeyInfra.Keys;
using KeyInfra.Signing;
using KeyInfra.Verification;
using Microsoft.Data.Sqlite;

namespace KeyInfra.Sqlite.Tests.Engine;

/// <summary>
/// The database is not trusted: rows garbled with raw SQL on a real file fail the read with KeyInfra's typed storage
/// errors (<c>KI4101</c>, <c>KI4701</c>), never a raw <see cref="FormatException"/> or <see cref="SqliteException"/>.
/// </summary>
[TestClass]
public sealed class SqliteGarbledRowTests
{
    private static readonly byte[] Document = "garbled"u8.ToArray();

    [TestMethod]
    public async Task VerifyAsync_KeyRowWithGarbledTime_ThrowsStoredDataInvalid()
    {
        var folder = KeyInfraTestHost.NewFolder();
        try
        {
            // Arrange: a key whose created_at a writer replaced with text that is no time; a new host (empty cache).
            var masterKey = KeyInfraTestHost.NewMasterKey();
            var (keyId, signature, databasePath) = await CreateSignedKeyAsync(folder, masterKey);
            Execute(databasePath, $"UPDATE public_keys SET created_at = 'not a time' WHERE lower(id) = '{keyId.Value}'");
            await using var host = await KeyInfraTestHost.StartAsync(folder, masterKey);

            // Act
            var error = await Assert.ThrowsExactlyAsync<KeyInfraException>(() => host.Get<IVerifier>().VerifyAsync(new VerificationRequest(keyId, Document, signature)));

            // Assert
            Assert.AreEqual(ErrorCodes.StoredDataInvalid, error.ErrorCode, error.ToString());
            StringAssert.Contains(error.Message, "created_at");
            Assert.IsFalse(error.Message.Contains("not a time", StringComparison.Ordinal), "The stored value is not echoed.");
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(folder);
        }
    }

    [TestMethod]
    public async Task VerifyAsync_KeyLookupHitsCorruptIndex_ThrowsStorageCorrupt()
    {
        var folder = KeyInfraTestHost.NewFolder();
        try
        {
            // Arrange: the writer points the key table's (tenant_id, id) index, which the lookup uses, at another
            // table's pages, so SQLite finds
            // a malformed b-tree when the lookup walks it (SQLITE_CORRUPT).
            var masterKey = KeyInfraTestHost.NewMasterKey();
            var (keyId, signature, databasePath) = await CreateSignedKeyAsync(folder, masterKey);
            Execute(databasePath,
                "PRAGMA writable_schema = ON; " +
                "UPDATE sqlite_master SET rootpage = (SELECT rootpage FROM sqlite_master WHERE name = 'verification_records') " +
                "WHERE type = 'index' AND tbl_name = 'public_keys' AND name = 'sqlite_autoindex_public_keys_2'; " +
                "PRAGMA writable_schema = OFF;");
            await using var host = await KeyInfraTestHost.StartAsync(folder, masterKey);

            // Act
            var error = await Assert.ThrowsExactlyAsync<KeyInfraException>(() => host.Get<IVerifier>().VerifyAsync(new VerificationRequest(keyId, Document, signature)));

            // Assert
            Assert.AreEqual(ErrorCodes.StorageCorrupt, error.ErrorCode, error.ToString());
            Assert.IsInstanceOfType<SqliteException>(error.InnerException);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(folder);
        }
    }

    [TestMethod]
    public async Task CreateAsync_KeyInsertHitsCorruptIndex_ThrowsStorageCorruptNotDbUpdateException()
    {
        var folder = KeyInfraTestHost.NewFolder();
        try
        {
            // Arrange: the key table's status index, which only writes use, points at another table's pages, so the
            // insert of a new key (a SaveChanges command) finds a malformed b-tree when it adds its entry (SQLITE_CORRUPT).
            var masterKey = KeyInfraTestHost.NewMasterKey();
            var (_, _, databasePath) = await CreateSignedKeyAsync(folder, masterKey);
            Execute(databasePath,
                "PRAGMA writable_schema = ON; " +
                "UPDATE sqlite_master SET rootpage = (SELECT rootpage FROM sqlite_master WHERE name = 'verification_records') " +
                "WHERE type = 'index' AND name = 'ix_public_keys_tenant_id_status_id'; " +
                "PRAGMA writable_schema = OFF;");
            await using var host = await KeyInfraTestHost.StartAsync(folder, masterKey);

            // Act
            var error = await Assert.ThrowsExactlyAsync<KeyInfraException>(() => host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "after corruption")));

            // Assert
            Assert.AreEqual(ErrorCodes.StorageCorrupt, error.ErrorCode, error.ToString());
            Assert.IsInstanceOfType<SqliteException>(error.InnerException);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(folder);
        }
    }

    [TestMethod]
    public async Task QueryAsync_LogRecordWithGarbledId_ThrowsStoredDataInvalid()
    {
        var folder = KeyInfraTestHost.NewFolder();
        try
        {
            // Arrange: three records, one of whose ids a writer replaced with text that is no GUID.
            var masterKey = KeyInfraTestHost.NewMasterKey();
            var (keyId, signature, databasePath) = await CreateSignedKeyAsync(folder, masterKey);
            await using var host = await KeyInfraTestHost.StartAsync(folder, masterKey);
            var verifier = host.Get<IVerifier>();
            for (var i = 0; i < 3; i++)
            {
                Assert.IsTrue((await verifier.VerifyAsync(new VerificationRequest(keyId, Document, signature))).IsValid);
            }

            DropTriggers(databasePath, "verification_records");
            Execute(databasePath, "UPDATE verification_records SET id = 'not-a-guid' WHERE rowid = (SELECT MIN(rowid) FROM verification_records)");

            // Act
            var error = await Assert.ThrowsExactlyAsync<KeyInfraException>(() => host.Get<IVerificationLog>().QueryAsync(new VerificationLogQuery { KeyId = keyId, PageSize = 100 }));

            // Assert
            Assert.AreEqual(ErrorCodes.StoredDataInvalid, error.ErrorCode, error.ToString());
            StringAssert.Contains(error.Message, "'id'");
            Assert.IsInstanceOfType<FormatException>(error.InnerException);
        }
        finally
        {
            KeyInfraTestHost.DeleteFolder(folder);
        }
    }

    private static async Task<(KeyId KeyId, byte[] Signature, string DatabasePath)> CreateSignedKeyAsync(string folder, string masterKey)
    {
        await using var host = await KeyInfraTestHost.StartAsync(folder, masterKey);
        var key = await host.Get<IKeyStore>().CreateAsync(new CreateKeyRequest(KeySpec.EcdsaP256, "garbled"));
        var signature = (await host.Get<ISigner>().SignAsync(new SignRequest(key.Id, Document))).Signature.ToArray();
        return (key.Id, signature, host.DatabasePath);
    }

    /// <summary>A privileged writer removes whatever triggers guard a table before changing its rows.</summary>
    private static void DropTriggers(string databasePath, string table)
    {
        using var connection = Open(databasePath);
        var names = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = $table";
            command.Parameters.AddWithValue("$table", table);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }
        }

        foreach (var name in names)
        {
            using var drop = connection.CreateCommand();
            drop.CommandText = $"DROP TRIGGER \"{name}\"";
            drop.ExecuteNonQuery();
        }
    }

    private static void Execute(string databasePath, string sql)
    {
        using var connection = Open(databasePath);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static SqliteConnection Open(string databasePath)
    {
        SqliteConnection.ClearAllPools();
        var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        return connection;
    }
}
