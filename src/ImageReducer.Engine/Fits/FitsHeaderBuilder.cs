using System.Globalization;
using System.Text.RegularExpressions;

namespace ImageReducer.Engine.Fits;

/// <summary>
/// Builds the headers the writer emits: the structural cards it owns, then the caller's cards, then
/// CHECKSUM and DATASUM (fixed width, so the header length never depends on the sums).
/// </summary>
internal static partial class FitsHeaderBuilder
{
    /// <summary>Placeholder CHECKSUM value; the real one has the same width.</summary>
    public const string ChecksumPlaceholder = "0000000000000000";

    [GeneratedRegex(@"^(SIMPLE|XTENSION|BITPIX|NAXIS\d*|EXTEND|PCOUNT|GCOUNT|GROUPS|TFIELDS|THEAP|CHECKSUM|DATASUM|LONGSTRN|END|T(TYPE|FORM|UNIT)\d+)$", RegexOptions.IgnoreCase)]
    private static partial Regex WriterOwned();

    /// <summary>True for keywords the writer generates itself (callers' copies are dropped).</summary>
    public static bool IsWriterOwned(string keyword) => WriterOwned().IsMatch(keyword);

    public static FitsHeader Image(bool primary, int bitpix, long width, long height, IEnumerable<FitsCard>? cards, bool checksum)
    {
        var h = new FitsHeader();
        if (primary) h.Add("SIMPLE", true, "conforms to FITS standard");
        else h.Add("XTENSION", "IMAGE", "Image extension");
        h.Add("BITPIX", (long)bitpix, "array data type");
        h.Add("NAXIS", 2L, "number of array dimensions");
        h.Add("NAXIS1", width);
        h.Add("NAXIS2", height);
        if (primary) h.Add("EXTEND", true);
        else { h.Add("PCOUNT", 0L, "number of parameters"); h.Add("GCOUNT", 1L, "number of groups"); }
        return Finish(h, cards, checksum);
    }

    public static FitsHeader EmptyPrimary(IEnumerable<FitsCard>? cards, bool checksum)
    {
        var h = new FitsHeader();
        h.Add("SIMPLE", true, "conforms to FITS standard");
        h.Add("BITPIX", 8L, "array data type");
        h.Add("NAXIS", 0L, "number of array dimensions");
        h.Add("EXTEND", true);
        return Finish(h, cards, checksum);
    }

    public static FitsHeader Table(FitsTable table, IEnumerable<FitsCard>? cards, bool checksum)
    {
        var h = new FitsHeader();
        h.Add("XTENSION", "BINTABLE", "binary table extension");
        h.Add("BITPIX", 8L, "array data type");
        h.Add("NAXIS", 2L, "number of array dimensions");
        h.Add("NAXIS1", (long)table.RowLength, "length of dimension 1");
        h.Add("NAXIS2", (long)table.RowCount, "length of dimension 2");
        h.Add("PCOUNT", 0L, "number of group parameters");
        h.Add("GCOUNT", 1L, "number of groups");
        h.Add("TFIELDS", (long)table.Columns.Count, "number of table fields");
        for (int c = 0; c < table.Columns.Count; c++)
        {
            var col = table.Columns[c];
            string n = (c + 1).ToString(CultureInfo.InvariantCulture);
            h.Add("TTYPE" + n, col.Name);
            h.Add("TFORM" + n, col.TForm);
            if (col.Unit is not null) h.Add("TUNIT" + n, col.Unit);
        }
        return Finish(h, cards, checksum);
    }

    private static FitsHeader Finish(FitsHeader h, IEnumerable<FitsCard>? cards, bool checksum)
    {
        if (cards is not null)
            foreach (var c in cards)
                if (c.Kind != FitsValueKind.End && (c.IsCommentary || !IsWriterOwned(c.Keyword))) h.Add(c);
        // The OGIP long-string convention asks for LONGSTRN when CONTINUE cards are used (fitsverify warns otherwise).
        if (h.Any(c => c.ImageCount > 1 && !c.IsCommentary) && !h.Contains("LONGSTRN"))
            h.Add("LONGSTRN", "OGIP 1.0", "The OGIP long string convention may be used");
        if (checksum)
        {
            h.Add("CHECKSUM", ChecksumPlaceholder, "HDU checksum");
            h.Add("DATASUM", "0", "data unit checksum");
        }
        return h;
    }

    /// <summary>
    /// Fills DATASUM and CHECKSUM (when the header has them) for a data unit summing to
    /// <paramref name="data"/> and returns the encoded header.
    /// </summary>
    public static byte[] Encode(FitsHeader h, FitsChecksum data)
    {
        if (!h.Contains("CHECKSUM")) return h.Encode();
        h.Set("DATASUM", data.Value.ToString(CultureInfo.InvariantCulture), "data unit checksum");
        h.Set("CHECKSUM", ChecksumPlaceholder, "HDU checksum");
        var bytes = h.Encode();
        uint total = (FitsChecksum.Zero.Add(bytes) + data).Value;
        h.Set("CHECKSUM", FitsChecksum.Encode(total), "HDU checksum");
        return h.Encode();
    }
}
