using Microsoft.Data.Sqlite;

namespace KeyInfra.Sqlite;

/// <summary>A checked SQLite connection string, the database file it names and the folder that file lives in.</summary>
/// <param name="ConnectionString">The normalized connection string. It may hold a password: never log or print it.</param>
/// <param name="FilePath">The full path of the database file, or <c>null</c> when SQLite resolves it itself (a <c>file:</c> URI) or it is opened read-only.</param>
/// <param name="Directory">The folder of <paramref name="FilePath"/>, created before the first connection opens.</param>
internal sealed record SqliteDatabaseLocation(string ConnectionString, string? FilePath, string? Directory)
{
    private const string Example = "\"Data Source=keyinfra.db\"";

    /// <summary>Checks a connection string for use by KeyInfra.</summary>
    /// <exception cref="ArgumentException">It is empty, malformed, has no file name, or names an in-memory database.</exception>
    public static SqliteDatabaseLocation Parse(string? connectionString, string paramName)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ArgumentException($"The SQLite connection string is empty. Pass one such as {Example}.", paramName);
        }

        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            // The parser's message quotes the part it could not read, which may be a fragment of a password (one with a
            // ';' or '=' in it): neither it nor the parser's exception (whose message a log would print) is passed on.
            throw new ArgumentException(
                $"The SQLite connection string is malformed: it is not a list of keyword=value pairs that Microsoft.Data.Sqlite knows (a value holding ';' or '=' must be quoted). The string is not repeated here, as it may hold a password. Pass one such as {Example}.",
                paramName);
        }

        var dataSource = builder.DataSource;
        if (string.IsNullOrWhiteSpace(dataSource))
        {
            throw new ArgumentException($"The SQLite connection string names no database file (Data Source). Pass one such as {Example}.", paramName);
        }

        if (builder.Mode == SqliteOpenMode.Memory || string.Equals(dataSource.Trim(), ":memory:", StringComparison.OrdinalIgnoreCase))
        {
            // Every pooled connection would get its own empty database.
            throw new ArgumentException($"KeyInfra needs a SQLite database file, not an in-memory database. Pass one such as {Example}.", paramName);
        }

        var filePath = FilePathOf(dataSource, builder.Mode);
        return new SqliteDatabaseLocation(builder.ToString(), filePath, filePath is null ? null : Path.GetDirectoryName(filePath) is { Length: > 0 } directory ? directory : null);
    }

    /// <summary>The database file, never the connection string (which may hold a password).</summary>
    public override string ToString() => $"SQLite database {FilePath ?? "(a file: URI or a read-only database)"}";

    private static string? FilePathOf(string dataSource, SqliteOpenMode mode)
    {
        if (mode == SqliteOpenMode.ReadOnly || dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            // A read-only database must exist already; a URI is resolved by SQLite itself.
            return null;
        }

        const string dataDirectoryMacro = "|DataDirectory|";
        if (dataSource.StartsWith(dataDirectoryMacro, StringComparison.OrdinalIgnoreCase))
        {
            // Resolved as Microsoft.Data.Sqlite does.
            var dataDirectory = AppDomain.CurrentDomain.GetData("DataDirectory") as string;
            if (string.IsNullOrEmpty(dataDirectory))
            {
                dataDirectory = AppContext.BaseDirectory;
            }

            dataSource = Path.Combine(dataDirectory, dataSource[dataDirectoryMacro.Length..].TrimStart('/', '\\'));
        }

        return Path.GetFullPath(dataSource);
    }
}
