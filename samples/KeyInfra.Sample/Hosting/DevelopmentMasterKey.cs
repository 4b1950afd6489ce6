using System.Security.Cryptography;
using KeyInfra.Sample.Input;

namespace KeyInfra.Sample.Hosting;

/// <summary>
/// The master key the sample uses when the environment gives none: 32 random bytes generated once, kept in a
/// file readable by its owner only (mode 0600) beside the database, and reused on every later run.
/// For development only: anyone who can read the file can decrypt every private key in the database.
/// </summary>
internal static class DevelopmentMasterKey
{
    public const string FileName = "dev-master.key";

    private const int KeySizeBytes = 32;

    /// <summary>Reads the key file in <paramref name="directory"/>, creating it first if there is none; returns the key as Base64.</summary>
    public static string LoadOrCreate(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            TryCreate(path);
        }

        return Load(path);
    }

    private static void TryCreate(string path)
    {
        var key = new byte[KeySizeBytes];
        try
        {
            RandomNumberGenerator.Fill(key);
            var text = Convert.ToBase64String(key) + "\n";
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                // The file is created with 0600, so the key is never readable by others, not even briefly.
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var stream = new FileStream(path, options);
            using var writer = new StreamWriter(stream);
            writer.Write(text);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first (CreateNew refuses to overwrite): use theirs.
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static string Load(string path)
    {
        var text = File.ReadAllText(path).Trim();
        var key = new byte[KeySizeBytes];
        try
        {
            if (!Convert.TryFromBase64String(text, key, out var written) || written != KeySizeBytes)
            {
                throw new UsageException($"The development master key file '{path}' is damaged (it must hold 32 bytes as Base64). " +
                    "Restore it; delete it only together with the database, whose private keys it encrypts.");
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        return text;
    }
}
