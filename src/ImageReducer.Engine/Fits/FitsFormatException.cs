namespace ImageReducer.Engine.Fits;

/// <summary>
/// The input is not valid FITS (or not a valid exposure/PSF file): a malformed card, an impossible
/// size, truncated data, a checksum mismatch… <see cref="Kind"/> says which; the message names the
/// file, HDU and card.
/// </summary>
/// <remarks>Created by <see cref="FitsErrors"/>, which keeps all wording in one place.</remarks>
public sealed class FitsFormatException : FitsException
{
    /// <summary>Creates the exception; prefer the factory methods of <see cref="FitsErrors"/>.</summary>
    public FitsFormatException(FitsErrorKind kind, string message, string? file, int? hduIndex,
        int? cardIndex = null, string? keyword = null, Exception? inner = null)
        : base(CategoryOf(kind), message, file, hduIndex, inner)
    {
        Kind = kind;
        CardIndex = cardIndex;
        Keyword = keyword;
    }

    /// <summary>What is wrong.</summary>
    public FitsErrorKind Kind { get; }

    /// <summary>The 0-based index of the offending card in its header, when one card is at fault.</summary>
    public int? CardIndex { get; }

    /// <summary>The keyword at fault, when one is.</summary>
    public string? Keyword { get; }

    /// <summary>The coarse class of <see cref="Kind"/> (docs/errors.md).</summary>
    public FitsErrorCategory Category => CategoryOf(Kind);

    /// <summary>The coarse class of an error kind.</summary>
    public static FitsErrorCategory CategoryOf(FitsErrorKind kind) => kind switch
    {
        FitsErrorKind.NotFits or FitsErrorKind.TrailingBytes => FitsErrorCategory.NotFits,
        FitsErrorKind.TruncatedData or FitsErrorKind.UnexpectedEndOfData => FitsErrorCategory.Truncated,
        FitsErrorKind.MissingEnd => FitsErrorCategory.MissingEnd,
        FitsErrorKind.NonAsciiCard or FitsErrorKind.MalformedCard => FitsErrorCategory.BadCard,
        FitsErrorKind.MissingKeyword => FitsErrorCategory.MissingKeyword,
        FitsErrorKind.InvalidBitpix => FitsErrorCategory.BadBitpix,
        FitsErrorKind.InvalidAxisCount or FitsErrorKind.InvalidAxisLength => FitsErrorCategory.BadAxis,
        FitsErrorKind.DataTooLarge or FitsErrorKind.HeaderTooLarge or FitsErrorKind.TooManyHdus => FitsErrorCategory.TooLarge,
        FitsErrorKind.ChecksumMismatch or FitsErrorKind.DatasumMismatch => FitsErrorCategory.ChecksumMismatch,
        FitsErrorKind.MissingExtension or FitsErrorKind.LayoutMismatch or FitsErrorKind.ShapeMismatch => FitsErrorCategory.BadLayout,
        FitsErrorKind.InvalidMaskPlanes => FitsErrorCategory.BadMaskPlanes,
        FitsErrorKind.InvalidTable => FitsErrorCategory.BadTable,
        FitsErrorKind.InvalidPsf => FitsErrorCategory.BadPsf,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown FitsErrorKind"),
    };
}
