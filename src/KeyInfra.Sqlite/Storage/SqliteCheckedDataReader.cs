using System.Collections;
using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace KeyInfra.Sqlite.Storage;

/// <summary>
/// A data reader over a <see cref="SqliteDataReader"/> that reports a damaged file or a garbled value as KeyInfra's
/// typed storage errors (<see cref="SqliteFailures"/>) instead of a raw <see cref="SqliteException"/> or
/// <see cref="FormatException"/>; everything else passes straight through. Not thread-safe, like any reader.
/// </summary>
internal sealed class SqliteCheckedDataReader(DbDataReader inner) : DbDataReader
{
    public override int Depth => inner.Depth;

    public override int FieldCount => inner.FieldCount;

    public override bool HasRows => inner.HasRows;

    public override bool IsClosed => inner.IsClosed;

    public override int RecordsAffected => inner.RecordsAffected;

    public override int VisibleFieldCount => inner.VisibleFieldCount;

    public override object this[int ordinal] => GetValue(ordinal);

    public override object this[string name] => GetValue(GetOrdinal(name));

    public override bool Read()
    {
        try
        {
            return inner.Read();
        }
        catch (SqliteException ex) when (SqliteFailures.Translate(ex) is { } translated)
        {
            throw translated;
        }
    }

    public override async Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await inner.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex) when (SqliteFailures.Translate(ex) is { } translated)
        {
            throw translated;
        }
    }

    public override bool NextResult()
    {
        try
        {
            return inner.NextResult();
        }
        catch (SqliteException ex) when (SqliteFailures.Translate(ex) is { } translated)
        {
            throw translated;
        }
    }

    public override async Task<bool> NextResultAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await inner.NextResultAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex) when (SqliteFailures.Translate(ex) is { } translated)
        {
            throw translated;
        }
    }

    public override bool GetBoolean(int ordinal) => Get(ordinal, static (r, o) => r.GetBoolean(o));

    public override byte GetByte(int ordinal) => Get(ordinal, static (r, o) => r.GetByte(o));

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length)
        => Get(ordinal, (r, o) => r.GetBytes(o, dataOffset, buffer, bufferOffset, length));

    public override char GetChar(int ordinal) => Get(ordinal, static (r, o) => r.GetChar(o));

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length)
        => Get(ordinal, (r, o) => r.GetChars(o, dataOffset, buffer, bufferOffset, length));

    public override string GetDataTypeName(int ordinal) => inner.GetDataTypeName(ordinal);

    public override DateTime GetDateTime(int ordinal) => Get(ordinal, static (r, o) => r.GetDateTime(o));

    public override decimal GetDecimal(int ordinal) => Get(ordinal, static (r, o) => r.GetDecimal(o));

    public override double GetDouble(int ordinal) => Get(ordinal, static (r, o) => r.GetDouble(o));

    public override IEnumerator GetEnumerator() => new DbEnumerator(this, closeReader: false);

    public override Type GetFieldType(int ordinal) => inner.GetFieldType(ordinal);

    public override T GetFieldValue<T>(int ordinal) => Get(ordinal, static (r, o) => r.GetFieldValue<T>(o));

    public override float GetFloat(int ordinal) => Get(ordinal, static (r, o) => r.GetFloat(o));

    public override Guid GetGuid(int ordinal) => Get(ordinal, static (r, o) => r.GetGuid(o));

    public override short GetInt16(int ordinal) => Get(ordinal, static (r, o) => r.GetInt16(o));

    public override int GetInt32(int ordinal) => Get(ordinal, static (r, o) => r.GetInt32(o));

    public override long GetInt64(int ordinal) => Get(ordinal, static (r, o) => r.GetInt64(o));

    public override string GetName(int ordinal) => inner.GetName(ordinal);

    public override int GetOrdinal(string name) => inner.GetOrdinal(name);

    public override Stream GetStream(int ordinal) => Get(ordinal, static (r, o) => r.GetStream(o));

    public override string GetString(int ordinal) => Get(ordinal, static (r, o) => r.GetString(o));

    public override TextReader GetTextReader(int ordinal) => Get(ordinal, static (r, o) => r.GetTextReader(o));

    public override object GetValue(int ordinal) => Get(ordinal, static (r, o) => r.GetValue(o));

    public override int GetValues(object[] values) => inner.GetValues(values);

    public override bool IsDBNull(int ordinal) => inner.IsDBNull(ordinal);

    public override DataTable? GetSchemaTable() => inner.GetSchemaTable();

    public override void Close() => inner.Close();

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private TValue Get<TValue>(int ordinal, Func<DbDataReader, int, TValue> read)
    {
        try
        {
            return read(inner, ordinal);
        }
        catch (Exception ex) when (SqliteFailures.IsConversionFailure(ex) && !inner.IsClosed && ordinal >= 0 && ordinal < inner.FieldCount)
        {
            throw SqliteFailures.InvalidValue(inner.GetName(ordinal), ex);
        }
        catch (SqliteException ex) when (SqliteFailures.Translate(ex) is { } translated)
        {
            throw translated;
        }
    }
}
