using System.Text.Json;
using KeyInfra.Encryption.Rotation;

namespace KeyInfra.Sample.Commands;

/// <summary>
/// Where <c>master-key rewrap</c> keeps its checkpoint between runs: a small JSON file next to the database, replaced
/// atomically after each step and removed when a run ends. It holds a key id and step names only.
/// </summary>
internal sealed class RewrapCheckpointFile(string path)
{
    /// <summary>The file's name in the data folder.</summary>
    public const string FileName = "master-key-rewrap.checkpoint.json";

    private const int MaxLength = 4096;

    public string Path { get; } = path;

    /// <summary>The stored checkpoint, or <c>null</c> when there is none or it cannot be read (a run then starts from the first step, which is safe).</summary>
    public MasterKeyRewrapCheckpoint? Read()
    {
        try
        {
            var info = new FileInfo(Path);
            if (!info.Exists || info.Length > MaxLength)
            {
                return null;
            }

            var checkpoint = JsonSerializer.Deserialize<MasterKeyRewrapCheckpoint>(File.ReadAllBytes(Path));
            return checkpoint is { MasterKeyId.Length: > 0, FinishedSteps.Count: <= 64 } && checkpoint.FinishedSteps.All(s => s is { Length: > 0 and <= 64 }) ? checkpoint : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    public void Write(MasterKeyRewrapCheckpoint checkpoint)
    {
        // On PostgreSQL the data folder may not exist yet: it holds no database file then.
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var temporary = Path + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(checkpoint));
        File.Move(temporary, Path, overwrite: true);
    }

    public void Delete() => File.Delete(Path);
}
