namespace KeyInfra.Pkcs11;

/// <summary>The rules for PKCS#11 library paths: absolute, normalized, no control characters.</summary>
internal static class ModulePaths
{
    /// <summary>The longest path accepted (the storage column's limit).</summary>
    public const int MaxLength = 4096;

    /// <summary>Whether <paramref name="path"/> is an absolute path already in its normal form (no <c>..</c>, no <c>.</c>, no doubled separators).</summary>
    public static bool IsWellFormed(string? path)
    {
        if (string.IsNullOrEmpty(path) || path.Length > MaxLength || !Path.IsPathFullyQualified(path) || path.EndsWith(Path.DirectorySeparatorChar))
        {
            return false;
        }

        foreach (var c in path)
        {
            if (char.IsControl(c))
            {
                return false;
            }
        }

        try
        {
            return string.Equals(Path.GetFullPath(path), path, StringComparison.Ordinal);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return false;
        }
    }

    /// <summary>Whether the host allows <paramref name="path"/> (ordinal, exact).</summary>
    public static bool IsAllowed(Pkcs11Options options, string path)
        => IsWellFormed(path) && options.AllAllowedPaths().Any(allowed => string.Equals(allowed, path, StringComparison.Ordinal));
}
