namespace ImageReducer.Engine.Fits;

/// <summary>Where one HDU of a file being planned lies: its header and data byte ranges.</summary>
/// <remarks>Immutable. Offsets are absolute in the file.</remarks>
public sealed class FitsHduLayout
{
    internal FitsHduLayout(int index, string? extName, long headerOffset, FitsHeader header, long dataLength,
        int bitpix, int width, int height)
    {
        Index = index;
        ExtName = extName;
        HeaderOffset = headerOffset;
        Header = header;
        HeaderLength = header.EncodedLength;
        DataLength = dataLength;
        Bitpix = bitpix;
        Width = width;
        Height = height;
    }

    /// <summary>HDU index (0 = primary).</summary>
    public int Index { get; }
    /// <summary>EXTNAME, or null for the primary.</summary>
    public string? ExtName { get; }
    public long HeaderOffset { get; }
    /// <summary>Header bytes (whole blocks); fixed whatever the checksums.</summary>
    public long HeaderLength { get; }
    public long DataOffset => HeaderOffset + HeaderLength;
    /// <summary>Data bytes without padding.</summary>
    public long DataLength { get; }
    /// <summary>Data bytes with the zero padding to a block boundary.</summary>
    public long PaddedDataLength => FitsConstants.PadToBlock(DataLength);
    /// <summary>Offset of the next HDU.</summary>
    public long EndOffset => DataOffset + PaddedDataLength;
    /// <summary>BITPIX of the data (8 for tables and the empty primary).</summary>
    public int Bitpix { get; }
    /// <summary>NAXIS1 of an image HDU (0 otherwise).</summary>
    public int Width { get; }
    /// <summary>NAXIS2 of an image HDU (0 otherwise).</summary>
    public int Height { get; }
    /// <summary>Bytes per image row.</summary>
    public long RowLength => (long)Width * (Math.Abs(Bitpix) / 8);

    /// <summary>The header template (CHECKSUM/DATASUM placeholders); not to be modified.</summary>
    internal FitsHeader Header { get; }

    /// <summary>Absolute file offset of local image row <paramref name="row"/> (0 = first row, NAXIS2 order).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not an image row of this HDU.</exception>
    public long RowOffset(int row)
    {
        if ((uint)row > (uint)Height || Width == 0)
            throw new ArgumentOutOfRangeException(nameof(row), $"row {row} is outside 0..{Height} of HDU {Index}");
        return DataOffset + row * RowLength;
    }

    /// <summary>Offset of <paramref name="row"/>'s first byte within the data unit (what checksum parts are added at).</summary>
    public long RowDataOffset(int row) => RowOffset(row) - DataOffset;
}
