namespace KeyInfra.Sample.Output;

/// <summary>
/// Writes rows as a plain-text table: columns padded to their widest cell, a dashed rule under the header.
/// </summary>
internal sealed class TableWriter
{
    private const string ColumnGap = "  ";

    private readonly string[] _headers;
    private readonly List<string[]> _rows = [];

    public TableWriter(params string[] headers)
    {
        ArgumentOutOfRangeException.ThrowIfZero(headers.Length);
        _headers = headers;
    }

    public int RowCount => _rows.Count;

    /// <summary>Adds a row; <c>null</c> cells print as "-".</summary>
    public TableWriter AddRow(params string?[] cells)
    {
        if (cells.Length != _headers.Length)
        {
            throw new ArgumentException($"A row of this table has {_headers.Length} cells; this one has {cells.Length}.", nameof(cells));
        }

        _rows.Add(Array.ConvertAll(cells, c => string.IsNullOrEmpty(c) ? "-" : c));
        return this;
    }

    public void Write(TextWriter writer)
    {
        var widths = new int[_headers.Length];
        for (var column = 0; column < widths.Length; column++)
        {
            widths[column] = _headers[column].Length;
            foreach (var row in _rows)
            {
                widths[column] = Math.Max(widths[column], row[column].Length);
            }
        }

        WriteLine(writer, _headers, widths);
        WriteLine(writer, Array.ConvertAll(widths, w => new string('-', w)), widths);
        foreach (var row in _rows)
        {
            WriteLine(writer, row, widths);
        }
    }

    private static void WriteLine(TextWriter writer, string[] cells, int[] widths)
    {
        // The last column is not padded, so lines carry no trailing spaces.
        for (var column = 0; column < cells.Length; column++)
        {
            var last = column == cells.Length - 1;
            writer.Write(last ? cells[column] : cells[column].PadRight(widths[column]));
            if (!last)
            {
                writer.Write(ColumnGap);
            }
        }

        writer.WriteLine();
    }
}
