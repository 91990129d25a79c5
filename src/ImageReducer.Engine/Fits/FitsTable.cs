using System.Buffers.Binary;
using System.Text;

namespace ImageReducer.Engine.Fits;

/// <summary>
/// A binary table held in memory in its file form (big-endian rows of fixed width), with typed
/// accessors. Used for the small tables this project persists (PSFs); no heap (variable-length
/// arrays) is written.
/// </summary>
/// <remarks>Not thread-safe for writes.</remarks>
public sealed class FitsTable
{
    private readonly byte[] data;
    private readonly int[] columnOffsets;

    /// <summary>A zero-filled table of <paramref name="rowCount"/> rows.</summary>
    /// <exception cref="ArgumentException">No columns, duplicate names, or a table over 2 GiB.</exception>
    public FitsTable(IReadOnlyList<FitsColumn> columns, int rowCount)
        : this(columns, rowCount, null) { }

    internal FitsTable(IReadOnlyList<FitsColumn> columns, int rowCount, byte[]? data)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0) throw new ArgumentException("A table needs at least one column.", nameof(columns));
        if (rowCount < 0) throw new ArgumentOutOfRangeException(nameof(rowCount));
        if (columns.Select(c => c.Name.ToUpperInvariant()).Distinct().Count() != columns.Count)
            throw new ArgumentException("Column names must be unique.", nameof(columns));
        Columns = columns.ToArray();
        columnOffsets = new int[columns.Count];
        int offset = 0;
        for (int c = 0; c < columns.Count; c++) { columnOffsets[c] = offset; offset = checked(offset + columns[c].Width); }
        RowLength = offset;
        RowCount = rowCount;
        this.data = data ?? new byte[checked((long)RowLength * rowCount)];
    }

    public IReadOnlyList<FitsColumn> Columns { get; }
    public int RowCount { get; }
    /// <summary>NAXIS1: bytes per row.</summary>
    public int RowLength { get; }
    /// <summary>The table's rows as stored in the file (big-endian).</summary>
    public ReadOnlySpan<byte> Data => data;

    /// <summary>Index of the column named <paramref name="name"/> (case-insensitive), or −1.</summary>
    public int ColumnIndex(string name)
    {
        for (int c = 0; c < Columns.Count; c++)
            if (string.Equals(Columns[c].Name, name, StringComparison.OrdinalIgnoreCase)) return c;
        return -1;
    }

    private Span<byte> Cell(int row, int column, char[] types, int element = 0)
    {
        if ((uint)row >= (uint)RowCount) throw new ArgumentOutOfRangeException(nameof(row), $"row {row} is outside 0..{RowCount - 1}");
        if ((uint)column >= (uint)Columns.Count) throw new ArgumentOutOfRangeException(nameof(column));
        var col = Columns[column];
        if (Array.IndexOf(types, col.Type) < 0)
            throw new InvalidOperationException($"Column {col.Name} has type {col.TForm}; this accessor reads {string.Join("/", types)}.");
        if (col.Type != 'A' && (uint)element >= (uint)col.Repeat)
            throw new ArgumentOutOfRangeException(nameof(element), $"element {element} is outside 0..{col.Repeat - 1} of column {col.Name}");
        int start = row * RowLength + columnOffsets[column];
        return col.Type == 'A' ? data.AsSpan(start, col.Width) : data.AsSpan(start + element * col.ElementSize, col.ElementSize);
    }

    private static readonly char[] StringTypes = ['A'];
    private static readonly char[] IntTypes = ['B', 'I', 'J', 'K'];
    private static readonly char[] RealTypes = ['E', 'D'];
    private static readonly char[] NumberTypes = ['B', 'I', 'J', 'K', 'E', 'D'];

    /// <summary>A string cell (trailing spaces and NULs removed).</summary>
    public string GetString(int row, int column) => Encoding.ASCII.GetString(Cell(row, column, StringTypes)).TrimEnd('\0', ' ');

    /// <summary>Sets a string cell (NUL-padded).</summary>
    /// <exception cref="ArgumentException">Too long for the column, or not printable ASCII.</exception>
    public void SetString(int row, int column, string value)
    {
        var cell = Cell(row, column, StringTypes);
        if (value.Length > cell.Length) throw new ArgumentException($"'{value}' is longer than column {Columns[column].Name} ({cell.Length} characters).", nameof(value));
        if (value.Any(c => c is < ' ' or > '~')) throw new ArgumentException($"'{value}' is not printable ASCII.", nameof(value));
        cell.Clear();
        Encoding.ASCII.GetBytes(value, cell);
    }

    /// <summary>An integer element (B, I, J, K columns).</summary>
    public long GetInt64(int row, int column, int element = 0)
    {
        var cell = Cell(row, column, IntTypes, element);
        return Columns[column].Type switch
        {
            'B' => cell[0],
            'I' => BinaryPrimitives.ReadInt16BigEndian(cell),
            'J' => BinaryPrimitives.ReadInt32BigEndian(cell),
            _ => BinaryPrimitives.ReadInt64BigEndian(cell),
        };
    }

    /// <summary>Sets an integer element (B, I, J, K columns).</summary>
    /// <exception cref="OverflowException">The value does not fit the column type.</exception>
    public void SetInt64(int row, int column, long value, int element = 0)
    {
        var cell = Cell(row, column, IntTypes, element);
        switch (Columns[column].Type)
        {
            case 'B': cell[0] = checked((byte)value); break;
            case 'I': BinaryPrimitives.WriteInt16BigEndian(cell, checked((short)value)); break;
            case 'J': BinaryPrimitives.WriteInt32BigEndian(cell, checked((int)value)); break;
            default: BinaryPrimitives.WriteInt64BigEndian(cell, value); break;
        }
    }

    /// <summary>A numeric element as a double (any numeric column).</summary>
    public double GetDouble(int row, int column, int element = 0)
    {
        var type = Columns[column].Type;
        if (type is 'E') return BinaryPrimitives.ReadSingleBigEndian(Cell(row, column, RealTypes, element));
        if (type is 'D') return BinaryPrimitives.ReadDoubleBigEndian(Cell(row, column, RealTypes, element));
        _ = Cell(row, column, NumberTypes, element);
        return GetInt64(row, column, element);
    }

    /// <summary>Sets a real element (E, D columns).</summary>
    public void SetDouble(int row, int column, double value, int element = 0)
    {
        var cell = Cell(row, column, RealTypes, element);
        if (Columns[column].Type == 'E') BinaryPrimitives.WriteSingleBigEndian(cell, (float)value);
        else BinaryPrimitives.WriteDoubleBigEndian(cell, value);
    }

    /// <summary>Copies <paramref name="count"/> leading elements of a numeric cell.</summary>
    public double[] GetDoubles(int row, int column, int count)
    {
        var col = Columns[column];
        if (count < 0 || count > col.Repeat) throw new ArgumentOutOfRangeException(nameof(count), $"count {count} is outside 0..{col.Repeat} for column {col.Name}");
        var a = new double[count];
        for (int k = 0; k < count; k++) a[k] = GetDouble(row, column, k);
        return a;
    }

    /// <summary>Writes leading elements of a real cell (the rest keep their value).</summary>
    public void SetDoubles(int row, int column, ReadOnlySpan<double> values)
    {
        for (int k = 0; k < values.Length; k++) SetDouble(row, column, values[k], k);
    }
}
