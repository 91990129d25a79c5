namespace ImageReducer.Engine.Fits;

/// <summary>
/// One header-data unit as found by <see cref="FitsReader"/>: the parsed header and where its data
/// unit lies. The data are not read until asked for.
/// </summary>
/// <remarks>Immutable; owned by the reader that found it.</remarks>
public sealed class FitsHdu
{
    internal FitsHdu(int index, FitsHeader header, FitsHduType type, long headerOffset, long headerLength,
        long dataLength, int bitpix, long[] axes, long pcount, long gcount, FitsChecksum headerChecksum)
    {
        Index = index;
        Header = header;
        Type = type;
        HeaderOffset = headerOffset;
        HeaderLength = headerLength;
        DataLength = dataLength;
        Bitpix = bitpix;
        Axes = axes;
        PCount = pcount;
        GCount = gcount;
        HeaderChecksum = headerChecksum;
        ExtName = header.Find("EXTNAME")?.Value as string;
        ExtType = header.Find("EXTTYPE")?.Value as string;
        ExtVer = header.Find("EXTVER")?.Value is long v ? v : 1;
    }

    /// <summary>0 for the primary HDU, 1… for extensions.</summary>
    public int Index { get; }
    /// <summary>The header (END excluded), with every card's raw text.</summary>
    public FitsHeader Header { get; }
    /// <summary>Primary, IMAGE, BINTABLE, TABLE or other.</summary>
    public FitsHduType Type { get; }
    /// <summary>Byte offset of the header in the stream.</summary>
    public long HeaderOffset { get; }
    /// <summary>Header length in bytes (whole blocks).</summary>
    public long HeaderLength { get; }
    /// <summary>Byte offset of the data unit.</summary>
    public long DataOffset => HeaderOffset + HeaderLength;
    /// <summary>Data bytes declared by the header (without padding).</summary>
    public long DataLength { get; }
    /// <summary>Data bytes including the padding to a block boundary.</summary>
    public long PaddedDataLength => FitsConstants.PadToBlock(DataLength);
    /// <summary>Offset of the next HDU.</summary>
    public long EndOffset => DataOffset + PaddedDataLength;
    /// <summary>BITPIX (one of 8, 16, 32, 64, −32, −64).</summary>
    public int Bitpix { get; }
    /// <summary>NAXIS1…NAXISn.</summary>
    public IReadOnlyList<long> Axes { get; }
    /// <summary>PCOUNT (0 for the primary).</summary>
    public long PCount { get; }
    /// <summary>GCOUNT (1 for the primary).</summary>
    public long GCount { get; }
    /// <summary>EXTNAME, or null.</summary>
    public string? ExtName { get; }
    /// <summary>EXTTYPE (LSST), or null.</summary>
    public string? ExtType { get; }
    /// <summary>EXTVER, 1 when absent.</summary>
    public long ExtVer { get; }
    /// <summary>The checksum of the header blocks as read (for CHECKSUM verification).</summary>
    public FitsChecksum HeaderChecksum { get; }

    /// <summary>True when NAXIS ≥ 2, every axis beyond the second is 1 and the type is an image (primary or IMAGE).</summary>
    public bool IsImage2D
    {
        get
        {
            if (Type is not (FitsHduType.Primary or FitsHduType.Image) || Axes.Count < 2) return false;
            // A loop, not Skip/All: generic LINQ over long is JIT-compiled in every fresh process (not in the ReadyToRun image).
            for (int i = 2; i < Axes.Count; i++)
                if (Axes[i] != 1) return false;
            return true;
        }
    }

    /// <summary>NAXIS1 (0 when absent).</summary>
    public long Width => Axes.Count > 0 ? Axes[0] : 0;
    /// <summary>NAXIS2 (0 when absent).</summary>
    public long Height => Axes.Count > 1 ? Axes[1] : 0;

    /// <summary>True when the header names this HDU (EXTNAME or EXTTYPE, case-insensitive).</summary>
    public bool IsNamed(string name) =>
        string.Equals(ExtName, name, StringComparison.OrdinalIgnoreCase) || string.Equals(ExtType, name, StringComparison.OrdinalIgnoreCase);

    public override string ToString() => $"HDU {Index} {Type} {ExtName} BITPIX={Bitpix} [{string.Join("x", Axes)}]";
}
