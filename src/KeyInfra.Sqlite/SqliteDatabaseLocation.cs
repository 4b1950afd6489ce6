using Microsoft.Data.Sqlite;

namespace KeyInfra.Sqlite;

/// <summary>A checked SQLite connection string and the folder its database file lives in.</summary>
internal sealed record SqliteDatabaseLocation(string ConnectionString, string? Directory)
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
            // The connection string may hold a password: do not repeat it.
            throw new ArgumentException($"The SQLite connection string is malformed ({ex.Message}). Pass one such as {Example}.", paramName, ex);
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

        return new SqliteDatabaseLocation(builder.ToString(), DirectoryOf(dataSource, builder.Mode));
    }

    private static string? DirectoryOf(string dataSource, SqliteOpenMode mode)
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

        return Path.GetDirectoryName(Path.GetFullPath(dataSource)) is { Length: > 0 } directory ? directory : null;
    }
}
