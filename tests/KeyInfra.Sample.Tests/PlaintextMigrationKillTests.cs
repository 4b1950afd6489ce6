using System.Diagnostics;
using System.Security.Cryptography;
using KeyInfra.Encryption;
using KeyInfra.Keys;
using KeyInfra.Signing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KeyInfra.Sample.Tests;

/// <summary>
/// The plaintext migration (<c>reencrypt --unsafe-read-plaintext-private-keys</c>) on a database an older version left
/// with plaintext private keys: killed with SIGKILL half way, it has lost nothing, and a second run finishes the work.
/// The sample runs as a child process, as an operator runs it.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class PlaintextMigrationKillTests
{
    private const int KeyCount = 1000;

    [TestMethod]
    public async Task Reencrypt_KilledHalfWayThroughPlaintextKeys_LosesNothingAndASecondRunEncryptsTheRest()
    {
        // Arrange: keys whose private keys are stored in plaintext, by "an older version", on a migrating database.
        using var workspace = new SampleWorkspace();
        var masterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(MasterKey.KeySizeBytes));
        var database = Path.Combine(workspace.DataDirectory, "keyinfra.db");
        Directory.CreateDirectory(workspace.DataDirectory);
        var keys = await WritePlaintextKeysAsync(database, masterKey);

        // Act 1: the migration, killed once it has reported progress (after its first hundred keys).
        var (killed, reported) = await RunAndKillAsync(workspace, database, masterKey);
        var plaintextLeft = await ScalarAsync<long>(database, "SELECT COUNT(*) FROM private_keys WHERE protection = 'none'");
        var encrypted = await ScalarAsync<long>(database, "SELECT COUNT(*) FROM private_keys WHERE protection = 'envelope'");

        // Act 2: run again to the end.
        var again = await RunChildAsync(workspace, database, masterKey);

        // Assert: killed half way, every key still there in one form or the other; the second run finished it.
        Assert.IsTrue(killed, "the child was still running when killed");
        StringAssert.Contains(reported, "private-keys: 100 examined");
        Assert.IsGreaterThan(0L, plaintextLeft, "killed before it had encrypted everything");
        Assert.IsGreaterThan(0L, encrypted, "killed after it had encrypted some");
        Assert.AreEqual((long)KeyCount, plaintextLeft + encrypted);
        Assert.AreEqual(0, again.ExitCode, again.Error);
        StringAssert.Contains(again.Output, "Every key row is authenticated");
        Assert.AreEqual(0L, await ScalarAsync<long>(database, "SELECT COUNT(*) FROM private_keys WHERE protection <> 'envelope'"));

        // Every key signs with its own private key, checked against the public key kept from before.
        foreach (var (id, publicKey) in keys.Where((_, i) => i % 97 == 0))
        {
            var signature = await SignAsync(workspace, database, masterKey, id);
            using var verifier = ECDsa.Create();
            verifier.ImportSubjectPublicKeyInfo(publicKey, out _);
            Assert.IsTrue(verifier.VerifyData("after the migration"u8, Convert.FromBase64String(signature), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation), $"key {id}");
        }
    }

    // Imports the public keys through KeyInfra, stores each private key beside it as PKCS#8 in plaintext, and makes the
    // database look as a release before row authentication left it (a v1 check value, no row MACs).
    private static async Task<List<(KeyId Id, byte[] PublicKey)>> WritePlaintextKeysAsync(string database, string masterKey)
    {
        var keys = new List<(KeyId, byte[], byte[])>();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddKeyInfrastructure().UseSqlite($"Data Source={database}").UseEnvironmentMasterKey(o =>
        {
            o.MasterKey = masterKey;
            o.PreviousMasterKeys = null;
        });
        using (var host = builder.Build())
        {
            await host.StartAsync();
            var store = host.Services.GetRequiredService<IKeyStore>();
            for (var i = 0; i < KeyCount; i++)
            {
                using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                var spki = key.ExportSubjectPublicKeyInfo();
                var imported = await store.ImportAsync(new ImportKeyRequest($"legacy {i}", spki, KeyFormat.Der));
                keys.Add((imported.Id, spki, key.ExportPkcs8PrivateKey()));
            }

            await host.StopAsync();
        }

        SqliteConnection.ClearAllPools();
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database }.ToString());
        await connection.OpenAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            foreach (var (id, _, pkcs8) in keys)
            {
                await using var insert = connection.CreateCommand();
                insert.CommandText = "INSERT INTO private_keys (key_id, tenant_id, backend, protection, key_material, master_key_id, created_at, updated_at) " +
                                     "SELECT id, tenant_id, 'software', 'none', $material, NULL, created_at, created_at FROM public_keys WHERE lower(id) = lower($id)";
                insert.Parameters.AddWithValue("$material", pkcs8);
                insert.Parameters.AddWithValue("$id", id.ToString());
                Assert.AreEqual(1, await insert.ExecuteNonQueryAsync());
                CryptographicOperations.ZeroMemory(pkcs8);
            }

            using var master = new MasterKey(Convert.FromBase64String(masterKey));
            await using var older = connection.CreateCommand();
            older.CommandText = "UPDATE master_keys SET check_value = $check; UPDATE public_keys SET row_mac = NULL, row_mac_master_key_id = NULL";
            older.Parameters.AddWithValue("$check", master.ComputeCheckValue());
            await older.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }

        SqliteConnection.ClearAllPools();
        return keys.ConvertAll(k => (k.Item1, k.Item2));
    }

    private static async Task<(bool Killed, string Reported)> RunAndKillAsync(SampleWorkspace workspace, string database, string masterKey)
    {
        using var child = Process.Start(Start(workspace, database, masterKey, "reencrypt", "--unsafe-read-plaintext-private-keys"))!;
        var reported = new List<string>();
        _ = child.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (await child.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            reported.Add(line);
            if (line.Contains("private-keys: 100 examined", StringComparison.Ordinal))
            {
                break;
            }
        }

        var killed = !child.HasExited;
        child.Kill();
        await child.WaitForExitAsync(timeout.Token);
        return (killed, string.Join('\n', reported));
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunChildAsync(SampleWorkspace workspace, string database, string masterKey)
    {
        using var child = Process.Start(Start(workspace, database, masterKey, "reencrypt", "--unsafe-read-plaintext-private-keys"))!;
        var output = child.StandardOutput.ReadToEndAsync();
        var error = child.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await child.WaitForExitAsync(timeout.Token);
        return (child.ExitCode, await output, await error);
    }

    private static async Task<string> SignAsync(SampleWorkspace workspace, string database, string masterKey, KeyId id)
    {
        Environment.SetEnvironmentVariable(EnvironmentMasterKeyOptions.MasterKeyVariable, masterKey);
        try
        {
            var result = await workspace.RunAsync("sign", "--db", database, "--key", id.ToString(), "--text", "after the migration", "--json");
            result.AssertExitCode(0);
            return result.Json().RootElement.GetProperty("signature").GetString()!;
        }
        finally
        {
            Environment.SetEnvironmentVariable(EnvironmentMasterKeyOptions.MasterKeyVariable, null);
        }
    }

    private static ProcessStartInfo Start(SampleWorkspace workspace, string database, string masterKey, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workspace.Directory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "KeyInfra.Sample.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add("--db");
        start.ArgumentList.Add(database);
        start.Environment[EnvironmentMasterKeyOptions.MasterKeyVariable] = masterKey;
        start.Environment.Remove(EnvironmentMasterKeyOptions.MasterSecretVariable);
        start.Environment.Remove(EnvironmentMasterKeyOptions.PreviousMasterKeysVariable);
        start.Environment.Remove(EnvironmentMasterKeyOptions.MasterKeyIdVariable);
        start.Environment.Remove("KEYINFRA_POSTGRES");
        start.Environment.Remove("KEYINFRA_PKCS11_MODULE");
        return start;
    }

    private static async Task<T> ScalarAsync<T>(string database, string sql)
    {
        SqliteConnection.ClearAllPools();
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database }.ToString());
        await connection.OpenAsync();
        return await ScalarAsync<T>(connection, sql);
    }

    private static async Task<T> ScalarAsync<T>(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }
}
