namespace ImageReducer.Engine.Fits;

public sealed partial class FitsReader
{
    /// <summary>Reads a binary-table HDU (rows only; a heap, if any, is checksummed but not interpreted).</summary>
    /// <exception cref="FitsFormatException">Not a BINTABLE, a TFORM that cannot be parsed, columns that do not add up to NAXIS1, data shorter than declared or a checksum mismatch.</exception>
    public FitsTable ReadTable(FitsHdu hdu)
    {
        ArgumentNullException.ThrowIfNull(hdu);
        var h = hdu.Header;
        if (hdu.Type != FitsHduType.BinaryTable || hdu.Axes.Count != 2 || hdu.Bitpix != 8)
            throw FitsErrors.InvalidTable(FileName, hdu.Index, "XTENSION", $"HDU {hdu.Index} is not a binary table (type {hdu.Type}, BITPIX {hdu.Bitpix}, NAXIS {hdu.Axes.Count})");
        long rowLength = hdu.Axes[0], rows = hdu.Axes[1];
        long tfields = h.GetInt64("TFIELDS");
        if (tfields is < 0 or > 999)
            throw FitsErrors.InvalidTable(FileName, hdu.Index, "TFIELDS", $"TFIELDS = {tfields} is outside 0..999");
        if (rows > int.MaxValue || rowLength > int.MaxValue)
            throw FitsErrors.InvalidTable(FileName, hdu.Index, "NAXIS2", $"{rows} rows of {rowLength} bytes are more than one table can hold in memory");
        var columns = new List<FitsColumn>();
        for (int n = 1; n <= tfields; n++)
        {
            string tform = h.GetString($"TFORM{n}") ?? throw h.Missing($"TFORM{n}");
            var col = FitsColumn.TryParse(h.GetString($"TTYPE{n}") ?? $"COL{n}", tform, h.GetString($"TUNIT{n}"))
                ?? throw FitsErrors.InvalidTable(FileName, hdu.Index, $"TFORM{n}", $"TFORM{n} = '{tform}' is not a valid column format");
            columns.Add(col);
        }
        long width = 0;
        foreach (var c in columns) width += c.Width;
        if (width != rowLength)
            throw FitsErrors.InvalidTable(FileName, hdu.Index, "NAXIS1", $"the columns take {width} bytes per row but NAXIS1 = {rowLength}");
        long tableBytes = rowLength * rows;
        var data = new byte[tableBytes];
        ReadExactly(hdu.DataOffset, data, hdu.Index);
        if (Options.VerifyChecksums && HasChecksumCards(hdu))
        {
            var sum = FitsChecksum.Zero.Add(data);
            if (hdu.DataLength > tableBytes)
            {
                var heap = new byte[hdu.DataLength - tableBytes];
                ReadExactly(hdu.DataOffset + tableBytes, heap, hdu.Index);
                sum = sum.Add(heap, tableBytes);
            }
            VerifySums(hdu, sum + PaddingSum(hdu));
        }
        try
        {
            return new FitsTable(columns, (int)rows, data);
        }
        catch (ArgumentException e)
        {
            throw FitsErrors.InvalidTable(FileName, hdu.Index, null, e.Message);
        }
    }
}
