using System.Text;
using System.Text.Json;
using KeyInfra.Sample;
using Microsoft.Data.Sqlite;

namespace KeyInfra.Sample.Tests;

/// <summary>A temporary working directory in which the sample runs in-process, on its real SQLite file.</summary>
internal sealed class SampleWorkspace : IDisposable
{
    public SampleWorkspace()
    {
        Directory = Path.Combine(Path.GetTempPath(), "keyinfra-sample-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string DataDirectory => Path.Combine(Directory, ".keyinfra");

    public string DevelopmentKeyPath => Path.Combine(DataDirectory, "dev-master.key");

    public string PathOf(string relative) => Path.Combine(Directory, relative);

    public Task<SampleResult> RunAsync(params string[] args) => RunWithInputAsync(null, args);

    public async Task<SampleResult> RunWithInputAsync(byte[]? standardInput, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode;
        if (standardInput is null)
        {
            exitCode = await SampleApp.RunAsync(args, output, error, Directory);
        }
        else
        {
            using var input = new MemoryStream(standardInput);
            exitCode = await SampleApp.RunAsync(args, input, output, error, Directory);
        }

        return new SampleResult(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Creates a key through the CLI and returns its id.</summary>
    public async Task<string> CreateKeyAsync(string type = "ecdsa-p256", string name = "test key", params string[] extra)
    {
        var result = await RunAsync(["keys", "create", "--type", type, "--name", name, "--json", .. extra]);
        result.AssertExitCode(0);
        return result.Json().RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Signs text through the CLI and returns the Base64 signature.</summary>
    public async Task<string> SignAsync(string keyId, string text)
    {
        var result = await RunAsync("sign", "--key", keyId, "--text", text);
        result.AssertExitCode(0);
        return result.Output.Trim();
    }

    public async Task<int> CountLogRecordsAsync(string keyId)
    {
        var result = await RunAsync("log", "--key", keyId, "--limit", "1000", "--json");
        result.AssertExitCode(0);
        return result.Json().RootElement.GetProperty("items").GetArrayLength();
    }

    /// <summary>Counts the rows of a KeyInfra table straight from the SQLite file (read-only).</summary>
    public async Task<long> CountRowsAsync(string table)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(DataDirectory, "keyinfra.db"), Mode = SqliteOpenMode.ReadOnly }.ToString();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = table switch
        {
            "verification_records" => "SELECT COUNT(*) FROM verification_records",
            "batch_verifications" => "SELECT COUNT(*) FROM batch_verifications",
            "batch_verification_items" => "SELECT COUNT(*) FROM batch_verification_items",
            _ => throw new ArgumentOutOfRangeException(nameof(table), table, "Not a table the tests count."),
        };
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public void WriteFile(string relative, string content) => File.WriteAllText(PathOf(relative), content, new UTF8Encoding(false));

    public void Dispose()
    {
        // Pooled connections keep the file open; release them before deleting the folder.
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; failing the test for it would hide the real result.
        }
    }
}
