namespace KeyInfra.Diagnostics;

/// <summary>
/// The event id ranges KeyInfra logs with, one range per package, so hosts can filter or alert on them.
/// </summary>
public static class KeyInfraEventIds
{
    /// <summary>KeyInfra.Core: keys, signing, verification, the log writer (1000–1999).</summary>
    public const int CoreFirst = 1000;

    /// <summary>KeyInfra.Core: encryption and master keys (2000–2099).</summary>
    public const int EncryptionFirst = 2000;

    /// <summary>KeyInfra.EntityFrameworkCore and the storage providers (3000–3999).</summary>
    public const int StorageFirst = 3000;

    /// <summary>KeyInfra.Pkcs11 (4000–4999).</summary>
    public const int Pkcs11First = 4000;

    /// <summary>The key source packages (5000–5999).</summary>
    public const int KeySourcesFirst = 5000;
}
