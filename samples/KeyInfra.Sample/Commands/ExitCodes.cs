namespace KeyInfra.Sample.Commands;

/// <summary>The sample's exit codes (documented in docs/getting-started.md).</summary>
internal static class ExitCodes
{
    /// <summary>Done; for <c>verify</c>, the signature is valid.</summary>
    public const int Success = 0;

    /// <summary>The command ran, and a signature is not valid (or the demo saw an outcome it did not expect).</summary>
    public const int NotValid = 1;

    /// <summary>Bad input or a refused operation: a malformed value, a missing file, an unknown key, a KeyInfra error (KIxxxx).</summary>
    public const int BadInput = 2;

    /// <summary>An unexpected failure (the database, the file system).</summary>
    public const int Failure = 3;

    /// <summary>Interrupted (Ctrl+C), as shells report SIGINT.</summary>
    public const int Cancelled = 130;
}
