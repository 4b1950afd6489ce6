using KeyInfra.PostgreSql.Connection;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace KeyInfra.PostgreSql.Partitions;

/// <summary>
/// Keeps the monthly partitions of <c>verification_records</c>: creates those of the coming months and, when
/// retention is on, drops those that ended more than <see cref="PostgreSqlStorageOptions.RetentionMonths"/> ago.
/// Both run through functions the migrations create, which serialize with an advisory lock, so several instances
/// may run them at once.
/// </summary>
internal sealed class VerificationPartitionMaintainer(PostgreSqlDataSource dataSource, Storage.PostgreSqlStorage storage, TimeProvider time, ILogger<VerificationPartitionMaintainer> logger)
{
    /// <summary>Creates the partitions of this month and the <see cref="PostgreSqlStorageOptions.PartitionsAhead"/> next ones.</summary>
    /// <returns>How many partitions were created.</returns>
    public async Task<int> CreateAheadAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var month = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        await using var command = dataSource.DataSource.CreateCommand("SELECT keyinfra_create_verification_partitions($1, $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = month, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = storage.Options.PartitionsAhead + 1, NpgsqlDbType = NpgsqlDbType.Integer });
        var created = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        if (created > 0)
        {
            Log.PartitionsCreated(logger, created);
        }

        return created;
    }

    /// <summary>Drops the partitions whose month ended before the retention window (whole months are kept).</summary>
    /// <returns>The names of the dropped partitions.</returns>
    public async Task<IReadOnlyList<string>> DropExpiredAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var cutoff = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(-storage.Options.RetentionMonths);
        await using var command = dataSource.DataSource.CreateCommand("SELECT partition_name FROM keyinfra_drop_verification_partitions($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = cutoff, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        var dropped = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var name = reader.GetString(0);
            dropped.Add(name);
            Log.PartitionDropped(logger, name, storage.Options.RetentionMonths);
        }

        return dropped;
    }
}
