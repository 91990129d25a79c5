using System.Globalization;

namespace ImageReducer.Engine.Fits;

/// <summary>
/// Factory of every <see cref="FitsFormatException"/>: methods return (never throw) the exception,
/// so that throw sites stay small and the wording lives in one place. Messages read
/// "<c>file: HDU n, card k (KEYWORD): what is wrong</c>".
/// </summary>
public static class FitsErrors
{
    /// <summary>"<c>file: HDU n, card k (KEYWORD)</c>": where a finding is (card counted from 1).</summary>
    internal static string Where(string? file, int? hdu, int? card, string? keyword)
    {
        var s = file ?? "<stream>";
        if (hdu is int h) s += $": HDU {h}";
        if (card is int c) s += $", card {c + 1}";
        if (!string.IsNullOrEmpty(keyword)) s += $" ({keyword})";
        return s;
    }

    private static FitsFormatException Make(FitsErrorKind kind, string what, string? file, int? hdu,
        int? card = null, string? keyword = null, Exception? inner = null) =>
        new(kind, $"{Where(file, hdu, card, keyword)}: {what}", file, hdu, card, keyword, inner);

    /// <summary>The first card is not SIMPLE / XTENSION.</summary>
    public static FitsFormatException NotFits(string? file, int hdu, string found) =>
        Make(FitsErrorKind.NotFits, hdu == 0
            ? $"not a FITS file: the first card must be SIMPLE = T, found '{found.TrimEnd()}'"
            : $"an extension must start with XTENSION, found '{found.TrimEnd()}'", file, hdu, 0);

    /// <summary>A byte outside printable ASCII in a card.</summary>
    public static FitsFormatException NonAsciiCard(string? file, int hdu, int card, int column, byte value, string? keyword = null) =>
        Make(FitsErrorKind.NonAsciiCard,
            string.Create(CultureInfo.InvariantCulture, $"byte 0x{value:X2} at column {column + 1} is not printable ASCII (0x20-0x7E)"),
            file, hdu, card, keyword);

    /// <summary>A header runs into binary data or into the next extension's header: its END card is missing.</summary>
    public static FitsFormatException EndMissingBefore(string? file, int hdu, int card, long headerBytes, string what) =>
        Make(FitsErrorKind.MissingEnd, $"no END card in the first {headerBytes} header bytes: {what}", file, hdu, card);

    /// <summary>A value that cannot be parsed or has the wrong type.</summary>
    public static FitsFormatException MalformedCard(string? file, int? hdu, int? card, string keyword, string reason) =>
        Make(FitsErrorKind.MalformedCard, reason, file, hdu, card, keyword);

    /// <summary>A mandatory keyword is absent.</summary>
    public static FitsFormatException MissingKeyword(string? file, int hdu, string keyword) =>
        Make(FitsErrorKind.MissingKeyword, $"mandatory keyword {keyword} is missing", file, hdu, null, keyword);

    /// <summary>End of stream inside a header.</summary>
    public static FitsFormatException MissingEnd(string? file, int hdu, long headerBytes) =>
        Make(FitsErrorKind.MissingEnd, $"the stream ends after {headerBytes} header bytes without an END card", file, hdu);

    /// <summary>A header longer than the limit.</summary>
    public static FitsFormatException HeaderTooLarge(string? file, int hdu, long limit) =>
        Make(FitsErrorKind.HeaderTooLarge, $"no END card within {limit} bytes (FitsReadOptions.MaxHeaderBytes)", file, hdu);

    /// <summary>BITPIX outside the standard list.</summary>
    public static FitsFormatException InvalidBitpix(string? file, int hdu, int card, long bitpix) =>
        Make(FitsErrorKind.InvalidBitpix, $"BITPIX = {bitpix} is not one of 8, 16, 32, 64, -32, -64", file, hdu, card, "BITPIX");

    /// <summary>NAXIS out of range, or the wrong number of axes for the operation.</summary>
    public static FitsFormatException InvalidAxisCount(string? file, int hdu, int? card, string reason) =>
        Make(FitsErrorKind.InvalidAxisCount, reason, file, hdu, card, "NAXIS");

    /// <summary>A negative or absurd axis length (or PCOUNT/GCOUNT).</summary>
    public static FitsFormatException InvalidAxisLength(string? file, int hdu, int card, string keyword, long value, string reason) =>
        Make(FitsErrorKind.InvalidAxisLength, $"{keyword} = {value}: {reason}", file, hdu, card, keyword);

    /// <summary>A data unit larger than allowed or than 64 bits can count.</summary>
    public static FitsFormatException DataTooLarge(string? file, int hdu, string size, long limit) =>
        Make(FitsErrorKind.DataTooLarge, $"the data unit declares {size} bytes, more than the limit of {limit} (FitsReadOptions.MaxDataBytes)", file, hdu);

    /// <summary>The declared data unit runs past the end of the stream.</summary>
    public static FitsFormatException TruncatedData(string? file, int hdu, long dataOffset, long dataBytes, long streamLength) =>
        Make(FitsErrorKind.TruncatedData,
            $"the data unit declares {dataBytes} bytes at offset {dataOffset}, but the stream ends at {streamLength} ({checked(dataOffset + dataBytes - streamLength)} bytes missing)",
            file, hdu);

    /// <summary>The stream ran dry while reading data it said it had.</summary>
    public static FitsFormatException UnexpectedEndOfData(string? file, int hdu, long offset, long expected, long got) =>
        Make(FitsErrorKind.UnexpectedEndOfData,
            $"data shorter than declared: reading {expected} bytes at offset {offset}, the stream returned only {got}", file, hdu);

    /// <summary>Too many HDUs.</summary>
    public static FitsFormatException TooManyHdus(string? file, int limit) =>
        Make(FitsErrorKind.TooManyHdus, $"more than {limit} HDUs (FitsReadOptions.MaxHdus)", file, null);

    /// <summary>Junk after the last HDU (strict mode).</summary>
    public static FitsFormatException TrailingBytes(string? file, int hdu, long offset, long count) =>
        Make(FitsErrorKind.TrailingBytes, $"{count} bytes at offset {offset} after HDU {hdu - 1} are neither padding nor a FITS extension (a damaged XTENSION card, or a wrong size in HDU {hdu - 1}'s header)", file, hdu);

    /// <summary>CHECKSUM does not verify.</summary>
    public static FitsFormatException ChecksumMismatch(string? file, int hdu, int? card, uint sum) =>
        Make(FitsErrorKind.ChecksumMismatch,
            string.Create(CultureInfo.InvariantCulture, $"CHECKSUM does not verify: the HDU sums to 0x{sum:X8}, not 0xFFFFFFFF (header or data altered)"),
            file, hdu, card, "CHECKSUM");

    /// <summary>DATASUM does not verify.</summary>
    public static FitsFormatException DatasumMismatch(string? file, int hdu, int? card, string declared, uint actual) =>
        Make(FitsErrorKind.DatasumMismatch, $"DATASUM = '{declared}' but the data unit sums to {actual} (data altered)", file, hdu, card, "DATASUM");

    /// <summary>Invalid mask-plane cards (wraps the <see cref="Imaging.MaskPlaneException"/>).</summary>
    public static FitsFormatException InvalidMaskPlanes(string? file, int hdu, Exception inner) =>
        Make(FitsErrorKind.InvalidMaskPlanes, $"invalid MP_* mask-plane cards: {inner.Message}", file, hdu, null, null, inner);

    /// <summary>A needed extension is missing.</summary>
    public static FitsFormatException MissingExtension(string? file, string extname, string why) =>
        Make(FitsErrorKind.MissingExtension, $"no '{extname}' extension: {why}", file, null);

    /// <summary>The file does not match the named (or any known) exposure layout.</summary>
    public static FitsFormatException LayoutMismatch(string? file, string reason) =>
        Make(FitsErrorKind.LayoutMismatch, reason, file, null);

    /// <summary>Planes of different sizes.</summary>
    public static FitsFormatException ShapeMismatch(string? file, int hdu, string reason) =>
        Make(FitsErrorKind.ShapeMismatch, reason, file, hdu);

    /// <summary>A malformed binary table.</summary>
    public static FitsFormatException InvalidTable(string? file, int hdu, string? keyword, string reason) =>
        Make(FitsErrorKind.InvalidTable, reason, file, hdu, null, keyword);

    /// <summary>A PSF extension that does not describe a valid PSF.</summary>
    public static FitsFormatException InvalidPsf(string? file, int hdu, string reason, Exception? inner = null) =>
        Make(FitsErrorKind.InvalidPsf, reason, file, hdu, null, null, inner);
}
