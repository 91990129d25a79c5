namespace ImageReducer.Engine.Fits;

/// <summary>The kinds of <see cref="FitsFormatException"/>.</summary>
public enum FitsErrorKind
{
    /// <summary>The stream does not start with a SIMPLE card (or an extension does not start with XTENSION).</summary>
    NotFits,
    /// <summary>A header card holds a byte outside printable ASCII (0x20–0x7E).</summary>
    NonAsciiCard,
    /// <summary>A card's value cannot be parsed, or has the wrong type for its keyword.</summary>
    MalformedCard,
    /// <summary>A mandatory keyword is absent.</summary>
    MissingKeyword,
    /// <summary>A header has no END card: the stream ends inside it, or it runs into binary data or the next XTENSION card.</summary>
    MissingEnd,
    /// <summary>A header is longer than <see cref="FitsReadOptions.MaxHeaderBytes"/>.</summary>
    HeaderTooLarge,
    /// <summary>BITPIX is not one of 8, 16, 32, 64, −32, −64.</summary>
    InvalidBitpix,
    /// <summary>NAXIS is outside 0..999, or the HDU does not have the axes the operation needs.</summary>
    InvalidAxisCount,
    /// <summary>An NAXISn, PCOUNT or GCOUNT is negative or too large.</summary>
    InvalidAxisLength,
    /// <summary>The declared data unit exceeds <see cref="FitsReadOptions.MaxDataBytes"/> or overflows 64 bits.</summary>
    DataTooLarge,
    /// <summary>The declared data unit extends past the end of the stream.</summary>
    TruncatedData,
    /// <summary>The stream returned fewer data bytes than its length promised.</summary>
    UnexpectedEndOfData,
    /// <summary>More HDUs than <see cref="FitsReadOptions.MaxHdus"/>.</summary>
    TooManyHdus,
    /// <summary>Bytes after the last HDU that are not an extension: any in strict mode; anything but zero or blank padding when lenient.</summary>
    TrailingBytes,
    /// <summary>CHECKSUM does not make the HDU sum to −0.</summary>
    ChecksumMismatch,
    /// <summary>DATASUM differs from the sum of the data unit.</summary>
    DatasumMismatch,
    /// <summary>The mask-plane cards are inconsistent (duplicate bit, bad name, bit out of range).</summary>
    InvalidMaskPlanes,
    /// <summary>An extension the layout needs is missing.</summary>
    MissingExtension,
    /// <summary>No known exposure layout matches the file, or it does not match the layout the caller named.</summary>
    LayoutMismatch,
    /// <summary>The planes of an exposure do not share one size.</summary>
    ShapeMismatch,
    /// <summary>A binary table is malformed (TFORM, row length, column missing).</summary>
    InvalidTable,
    /// <summary>A PSF extension does not describe a valid PSF.</summary>
    InvalidPsf,
}
