using System.Security.Cryptography;
using KeyInfra.Sample.Input;

namespace KeyInfra.Sample.Hosting;

/// <summary>
/// The master key the sample uses when the environment gives none: 32 random bytes generated once, kept in a
/// file readable by its owner only (mode 0600) beside the database, in a folder only its owner may enter (0700), and
/// reused on every later run, but only while it is still a regular file of mode 0600 owned by the user running the sample.
/// For development only: anyone who can read the file can decrypt every private key in the database.
/// </summary>
internal static class DevelopmentMasterKey
{
    public const string FileName = "dev-master.key";

    private const int KeySizeBytes = 32;

    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Reads the key file in <paramref name="directory"/>, creating it first if there is none; returns the key as Base64.</summary>
    /// <exception cref="UsageException">The file is damaged, or on Unix is a symbolic link, readable or writable by others, or owned by another user.</exception>
    public static string LoadOrCreate(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path) && new FileInfo(path).LinkTarget is null)
        {
            TryCreate(path);
        }

        CheckFile(path);
        return Load(path);
    }

    /// <summary>
    /// Refuses a key file that someone else could have planted or can read: anyone who chose the key can decrypt every
    /// private key encrypted under it. The file must be a regular file (not a symbolic link), of mode 0600 or 0400, and
    /// owned by the user running the sample.
    /// </summary>
    private static void CheckFile(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            // NTFS permissions are inherited from the user's profile folder; there is no mode to check.
            return;
        }

        var status = UnixFileStatus.Of(path);
        if (status.IsSymbolicLink || !status.IsRegularFile)
        {
            throw new UsageException($"The development master key file '{path}' is a symbolic link or not a regular file, so someone else may control the key. " +
                "Replace it with the key file itself (mode 0600, owned by you), or set KEYINFRA_MASTER_KEY.");
        }

        if (status.OwnerIsCurrentUser == false)
        {
            throw new UsageException($"The development master key file '{path}' belongs to another user, who may know the key. " +
                "Use a key file you created yourself (delete it only together with the database), or set KEYINFRA_MASTER_KEY.");
        }

        if ((status.Mode & ~OwnerReadWrite) != 0)
        {
            throw new UsageException($"The development master key file '{path}' has mode {Convert.ToString((int)status.Mode, 8).PadLeft(4, '0')}: other users can read or change it. " +
                $"Restrict it (chmod 600 '{path}') if nobody else has had access, or treat the key as known and set KEYINFRA_MASTER_KEY.");
        }
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
                options.UnixCreateMode = OwnerReadWrite;
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
