using KeyInfra.Errors;
using Microsoft.Data.Sqlite;

namespace KeyInfra.Sqlite.Storage;

/// <summary>
/// Turns what SQLite and Microsoft.Data.Sqlite throw while KeyInfra reads into KeyInfra's typed storage errors: a
/// corrupt file is <see cref="ErrorCodes.StorageCorrupt"/>, a file that cannot be read or written (I/O error, disk
/// full, locked past the busy timeout, read-only) <see cref="ErrorCodes.StorageUnavailable"/>, and a stored value that
/// does not parse (a garbled id or time) <see cref="ErrorCodes.StoredDataInvalid"/>. The database is not trusted, so
/// none of these reaches a caller as a raw framework exception. Messages name the column, never the value.
/// </summary>
internal static class SqliteFailures
{
    // Primary result codes (https://sqlite.org/rescode.html); the extended code's low byte is the primary one.
    private const int SqlitePerm = 3;
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteNoMem = 7;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoErr = 10;
    private const int SqliteCorrupt = 11;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;
    private const int SqliteProtocol = 15;
    private const int SqliteNoLfs = 22;
    private const int SqliteNotADb = 26;

    /// <summary>Whether the error says the database file is damaged.</summary>
    public static bool IsCorruption(SqliteException exception) => exception.SqliteErrorCode is SqliteCorrupt or SqliteNotADb;

    /// <summary>The typed error for a SQLite failure, or <c>null</c> for one that is not about the file (SQL, constraints).</summary>
    public static KeyInfraException? Translate(SqliteException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.SqliteErrorCode switch
        {
            SqliteCorrupt or SqliteNotADb => Corrupt($"SQLite reported the file damaged (SQLite error {exception.SqliteExtendedErrorCode})", exception),
            SqlitePerm or SqliteBusy or SqliteLocked or SqliteNoMem or SqliteReadOnly or SqliteIoErr or SqliteFull or SqliteCantOpen or SqliteProtocol or SqliteNoLfs
                => new KeyInfraException(
                    ErrorCodes.StorageUnavailable,
                    $"The SQLite database could not be read or written (SQLite error {exception.SqliteExtendedErrorCode}: an I/O error, a full or read-only disk, or a lock held past the busy timeout); the operation may not have completed. Check the disk and the file's permissions, then try again.",
                    exception),
            _ => null,
        };
    }

    /// <summary>The error for a file that is corrupt.</summary>
    public static KeyInfraException Corrupt(string what, Exception? inner = null)
        => new(
            ErrorCodes.StorageCorrupt,
            $"The SQLite database file is corrupt: {what}. KeyInfra returns nothing read from it and writes nothing more to it. Stop every process using the file, keep a copy for investigation, and restore the database from a backup (sqlite3's .recover can salvage rows into a new file).",
            inner);

    /// <summary>The error for a stored value Microsoft.Data.Sqlite could not convert to the column's type.</summary>
    public static KeyInfraException InvalidValue(string column, Exception inner)
        => new(
            ErrorCodes.StoredDataInvalid,
            $"A row read from the SQLite database holds a value in column '{column}' that is not of the column's type (it was changed outside KeyInfra, or the file is damaged). Nothing was returned; repair or delete the row.",
            inner);

    /// <summary>Whether an exception thrown while converting a stored value means the value is garbled.</summary>
    public static bool IsConversionFailure(Exception exception)
        => exception is FormatException or InvalidCastException or OverflowException or ArgumentException;
}
