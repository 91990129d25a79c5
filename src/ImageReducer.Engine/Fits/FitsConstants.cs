namespace ImageReducer.Engine.Fits;

/// <summary>Sizes fixed by the FITS standard.</summary>
public static class FitsConstants
{
    /// <summary>Every header and data unit is a whole number of 2880-byte blocks.</summary>
    public const int BlockSize = 2880;

    /// <summary>A header card is 80 ASCII characters.</summary>
    public const int CardLength = 80;

    /// <summary>Cards in one block.</summary>
    public const int CardsPerBlock = BlockSize / CardLength;

    /// <summary><paramref name="length"/> rounded up to a whole number of blocks.</summary>
    public static long PadToBlock(long length) => checked((length + BlockSize - 1) / BlockSize * BlockSize);

    /// <summary>Bytes per pixel of a BITPIX, or 0 when it is not a valid BITPIX.</summary>
    public static int BytesPerPixel(int bitpix) => bitpix switch
    {
        8 => 1, 16 => 2, 32 => 4, 64 => 8, -32 => 4, -64 => 8, _ => 0,
    };
}
