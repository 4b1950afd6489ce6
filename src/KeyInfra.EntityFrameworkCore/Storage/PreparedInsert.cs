using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace KeyInfra.EntityFrameworkCore.Storage;

/// <summary>
/// One prepared <c>INSERT</c> for an entity's table, reused for every row of every group commit on the log
/// writer's connection: the hot path of the verification log, where change tracking would cost more than the insert.
/// </summary>
/// <remarks>
/// Table, columns, parameter types and value conversions all come from the EF model, so a row written here
/// is stored exactly as <c>SaveChanges</c> would store it, on any relational provider.
/// </remarks>
internal sealed class PreparedInsert : IDisposable
{
    private readonly DbCommand _command;
    private readonly Column[] _columns;

    private PreparedInsert(DbCommand command, Column[] columns)
    {
        _command = command;
        _columns = columns;
    }

    public static async Task<PreparedInsert> CreateAsync(DbContext context, DbConnection connection, Type entityClrType, CancellationToken cancellationToken)
    {
        var entityType = context.Model.FindEntityType(entityClrType)
            ?? throw new InvalidOperationException($"{entityClrType.Name} is not part of the KeyInfra model.");
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        var sql = context.GetService<ISqlGenerationHelper>();
        var command = connection.CreateCommand();

        var columns = new List<Column>();
        var names = new StringBuilder();
        var values = new StringBuilder();
        foreach (var property in entityType.GetProperties())
        {
            var columnName = property.GetColumnName(table);
            if (columnName is null)
            {
                continue;
            }

            var mapping = property.GetRelationalTypeMapping();
            var parameterName = "p" + columns.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var parameter = mapping.CreateParameter(command, sql.GenerateParameterName(parameterName), null, property.IsNullable);
            command.Parameters.Add(parameter);
            columns.Add(new Column(property.GetGetter(), mapping.Converter, parameter));
            names.Append(names.Length == 0 ? string.Empty : ", ").Append(sql.DelimitIdentifier(columnName));
            values.Append(values.Length == 0 ? string.Empty : ", ").Append(sql.GenerateParameterNamePlaceholder(parameterName));
        }

        // Idempotent: after a failure whose commit may or may not have happened, the log writer appends the same
        // rows again (same ids); rows already there are skipped instead of failing the retry. ON CONFLICT DO
        // NOTHING is the syntax of both providers KeyInfra ships (SQLite, PostgreSQL). Foreign-key and other
        // errors still fail the insert.
        command.CommandText = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({names}) VALUES ({values}) ON CONFLICT DO NOTHING";
        try
        {
            await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await command.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new PreparedInsert(command, [.. columns]);
    }

    /// <summary>Runs the next inserts in <paramref name="transaction"/>.</summary>
    public void Enlist(DbTransaction transaction) => _command.Transaction = transaction;

    public async Task InsertAsync(object entity, CancellationToken cancellationToken)
    {
        foreach (var column in _columns)
        {
            var value = column.Getter.GetClrValueUsingContainingEntity(entity);
            if (value is not null && column.Converter is not null)
            {
                value = column.Converter.ConvertToProvider(value);
            }

            column.Parameter.Value = value ?? DBNull.Value;
        }

        await _command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _command.Dispose();

    private sealed record Column(IClrPropertyGetter Getter, ValueConverter? Converter, DbParameter Parameter);
}
