using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KeyInfra.Sqlite.Storage;

/// <summary>
/// Runs KeyInfra's SQLite queries (and migrations) so that a damaged file, an unreadable disk or a garbled stored
/// value fails with KeyInfra's typed storage errors (<see cref="SqliteFailures"/>), and no read returns part of what it
/// asked for. <c>SaveChanges</c> commands get the same typed errors for the file (EF Core wraps them in a
/// <c>DbUpdateException</c>, which the repositories unwrap), and their other failures, such as a constraint violation,
/// stay EF Core's. Thread-safe: stateless.
/// </summary>
internal sealed class SqliteCommandInterceptor : DbCommandInterceptor
{
    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(eventData);
        if (result.HasResult)
        {
            return result;
        }

        try
        {
            var reader = command.ExecuteReader();
            return InterceptionResult<DbDataReader>.SuppressWithResult(eventData.CommandSource == CommandSource.SaveChanges ? reader : new SqliteCheckedDataReader(reader));
        }
        catch (SqliteException ex) when (SqliteFailures.Translate(ex) is { } translated)
        {
            throw translated;
        }
    }

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(eventData);
        if (result.HasResult)
        {
            return result;
        }

        try
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return InterceptionResult<DbDataReader>.SuppressWithResult(eventData.CommandSource == CommandSource.SaveChanges ? reader : new SqliteCheckedDataReader(reader));
        }
        catch (SqliteException ex) when (SqliteFailures.Translate(ex) is { } translated)
        {
            throw translated;
        }
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(eventData);
        if (result.HasResult)
        {
            return result;
        }

        try
        {
            return InterceptionResult<object>.SuppressWithResult(command.ExecuteScalar()!);
        }
        catch (SqliteException ex) when (SqliteFailures.Translate(ex) is { } translated)
        {
            throw translated;
        }
    }

    public override async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(eventData);
        if (result.HasResult)
        {
            return result;
        }

        try
        {
            return InterceptionResult<object>.SuppressWithResult((await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!);
        }
        catch (SqliteException ex) when (SqliteFailures.Translate(ex) is { } translated)
        {
            throw translated;
        }
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(eventData);
        if (result.HasResult)
        {
            return result;
        }

        try
        {
            return InterceptionResult<int>.SuppressWithResult(command.ExecuteNonQuery());
        }
        catch (SqliteException ex) when (SqliteFailures.Translate(ex) is { } translated)
        {
            throw translated;
        }
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(eventData);
        if (result.HasResult)
        {
            return result;
        }

        try
        {
            return InterceptionResult<int>.SuppressWithResult(await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (SqliteException ex) when (SqliteFailures.Translate(ex) is { } translated)
        {
            throw translated;
        }
    }
}
