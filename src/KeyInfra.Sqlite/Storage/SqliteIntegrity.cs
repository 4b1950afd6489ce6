using System.Data.Common;

namespace KeyInfra.Sqlite.Storage;

/// <summary>Runs SQLite's own consistency check of a database file (<c>PRAGMA quick_check</c>).</summary>
internal static class SqliteIntegrity
{
    // quick_check stops after this many problems; one is enough to refuse the file, a few help whoever repairs it.
    private const string QuickCheckSql = "PRAGMA quick_check(10)";

    /// <summary>The problems <c>PRAGMA quick_check</c> reports: empty when the file is sound.</summary>
    /// <remarks>It reads every page of the file: its cost grows with the database's size.</remarks>
    public static IReadOnlyList<string> QuickCheck(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = QuickCheckSql;
        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read())
        {
            lines.Add(reader.GetString(0));
        }

        return Problems(lines);
    }

    /// <inheritdoc cref="QuickCheck"/>
    public static async Task<IReadOnlyList<string>> QuickCheckAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = QuickCheckSql;
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var lines = new List<string>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    lines.Add(reader.GetString(0));
                }

                return Problems(lines);
            }
        }
    }

    private static List<string> Problems(List<string> lines)
        => lines is ["ok"] ? [] : lines.Count == 0 ? ["PRAGMA quick_check returned nothing"] : lines;
}
