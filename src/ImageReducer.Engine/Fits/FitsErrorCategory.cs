namespace ImageReducer.Engine.Fits;

/// <summary>
/// Coarse classes of <see cref="FitsErrorKind"/> (see docs/errors.md): what a failure record stores
/// and what an operator acts on. <see cref="FitsFormatException.Category"/> gives the class of an error.
/// </summary>
public enum FitsErrorCategory
{
    /// <summary>Not FITS at all, or bytes where an extension should start (<see cref="FitsErrorKind.NotFits"/>, <see cref="FitsErrorKind.TrailingBytes"/>).</summary>
    NotFits,
    /// <summary>The file is shorter than its headers declare (<see cref="FitsErrorKind.TruncatedData"/>, <see cref="FitsErrorKind.UnexpectedEndOfData"/>).</summary>
    Truncated,
    /// <summary>A header has no END card (<see cref="FitsErrorKind.MissingEnd"/>).</summary>
    MissingEnd,
    /// <summary>A card is not printable ASCII or its value cannot be used (<see cref="FitsErrorKind.NonAsciiCard"/>, <see cref="FitsErrorKind.MalformedCard"/>).</summary>
    BadCard,
    /// <summary>A mandatory keyword is absent (<see cref="FitsErrorKind.MissingKeyword"/>).</summary>
    MissingKeyword,
    /// <summary>BITPIX is not a standard value (<see cref="FitsErrorKind.InvalidBitpix"/>).</summary>
    BadBitpix,
    /// <summary>NAXIS or an axis length (or PCOUNT/GCOUNT) is invalid (<see cref="FitsErrorKind.InvalidAxisCount"/>, <see cref="FitsErrorKind.InvalidAxisLength"/>).</summary>
    BadAxis,
    /// <summary>A declared size exceeds a <see cref="FitsReadOptions"/> limit (<see cref="FitsErrorKind.DataTooLarge"/>, <see cref="FitsErrorKind.HeaderTooLarge"/>, <see cref="FitsErrorKind.TooManyHdus"/>).</summary>
    TooLarge,
    /// <summary>CHECKSUM or DATASUM does not verify (<see cref="FitsErrorKind.ChecksumMismatch"/>, <see cref="FitsErrorKind.DatasumMismatch"/>).</summary>
    ChecksumMismatch,
    /// <summary>Valid FITS that is not a usable exposure or PSF file (<see cref="FitsErrorKind.MissingExtension"/>, <see cref="FitsErrorKind.LayoutMismatch"/>, <see cref="FitsErrorKind.ShapeMismatch"/>).</summary>
    BadLayout,
    /// <summary>The MP_* mask-plane cards are inconsistent (<see cref="FitsErrorKind.InvalidMaskPlanes"/>).</summary>
    BadMaskPlanes,
    /// <summary>A binary table is malformed (<see cref="FitsErrorKind.InvalidTable"/>).</summary>
    BadTable,
    /// <summary>A PSF extension does not describe a valid PSF (<see cref="FitsErrorKind.InvalidPsf"/>).</summary>
    BadPsf,
}
