namespace ImageReducer.Engine.Fits;

/// <summary>
/// One header card (or a long string spread over CONTINUE cards) as it appears in a file: the raw
/// 80-character images are kept; the value is parsed on first access.
/// </summary>
/// <remarks>
/// Keeping the raw text lets a header be written back exactly as read, including cards the parser
/// does not understand (<see cref="FitsValueKind.Unparsed"/>). Immutable and thread-safe (the lazy
/// parse is idempotent).
/// </remarks>
public sealed class FitsCard
{
    private FitsCardParser.Parsed? parsed;

    internal FitsCard(string keyword, string rawText, bool isHierarch)
    {
        Keyword = keyword;
        RawText = rawText;
        IsHierarch = isHierarch;
    }

    /// <summary>The keyword: columns 1–8 trimmed, or the HIERARCH keyword without the <c>HIERARCH </c> prefix.</summary>
    public string Keyword { get; }

    /// <summary>The card images, 80 characters each, concatenated (more than one for CONTINUE strings).</summary>
    public string RawText { get; }

    /// <summary>Number of 80-character card images this card occupies.</summary>
    public int ImageCount => RawText.Length / FitsConstants.CardLength;

    /// <summary>True when written with the ESO HIERARCH convention.</summary>
    public bool IsHierarch { get; }

    private FitsCardParser.Parsed Parsed => parsed ??= FitsCardParser.ParseValue(RawText, IsHierarch);

    /// <summary>What the value field holds.</summary>
    public FitsValueKind Kind => Parsed.Kind;

    /// <summary>
    /// The value: <see cref="string"/>, <see cref="bool"/>, <see cref="long"/>, <see cref="double"/>, or
    /// null (commentary, undefined, unparsed).
    /// </summary>
    public object? Value => Parsed.Value;

    /// <summary>The comment (after <c>/</c>), or the text of a commentary card; null when absent.</summary>
    public string? Comment => Parsed.Comment;

    /// <summary>Why the value could not be parsed (<see cref="FitsValueKind.Unparsed"/>), else null.</summary>
    public string? ParseError => Parsed.Error;

    /// <summary>
    /// True when the value field breaks the standard's syntax (an unterminated string, text after a
    /// string, a token that is no FITS value): fitsverify calls it an error, and so does the reader.
    /// False for valid values, including complex numbers the parser keeps raw.
    /// </summary>
    public bool HasValueSyntaxError => Kind == FitsValueKind.Unparsed && !Parsed.Conforming;

    /// <summary>True for COMMENT, HISTORY, blank-keyword and other cards without a value indicator.</summary>
    public bool IsCommentary => Kind == FitsValueKind.Commentary;

    /// <summary>Parses one 80-character card image (no CONTINUE joining).</summary>
    /// <exception cref="ArgumentException">The text is not 80 characters.</exception>
    public static FitsCard Parse(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Length != FitsConstants.CardLength)
            throw new ArgumentException($"A card image is {FitsConstants.CardLength} characters, got {image.Length}.", nameof(image));
        var (keyword, hierarch) = FitsCardParser.ParseKeyword(image);
        return new FitsCard(keyword, image, hierarch);
    }

    /// <summary>Formats a card strictly (standard keyword, HIERARCH when needed, CONTINUE for long strings).</summary>
    /// <exception cref="ArgumentException">The keyword, value or comment cannot be written as valid FITS.</exception>
    public static FitsCard Create(HeaderCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var (raw, hierarch) = FitsCardFormatter.Format(card);
        return new FitsCard(card.Keyword, raw, hierarch);
    }

    /// <inheritdoc cref="Create(HeaderCard)"/>
    public static FitsCard Create(string keyword, object? value, string? comment = null) => Create(new HeaderCard(keyword, value, comment));

    /// <summary>Commentary card (COMMENT, HISTORY or blank keyword) with <paramref name="text"/> (≤ 72 characters).</summary>
    public static FitsCard Commentary(string keyword, string text) => Create(new HeaderCard(keyword, null, text));

    /// <summary>The card as data; an unparsed value cannot be converted.</summary>
    /// <exception cref="InvalidOperationException">The value is <see cref="FitsValueKind.Unparsed"/> or this is END.</exception>
    public HeaderCard ToHeaderCard() => Kind switch
    {
        FitsValueKind.Unparsed => throw new InvalidOperationException($"Card {Keyword} has a value that could not be parsed: {ParseError}"),
        FitsValueKind.End => throw new InvalidOperationException("END is not a header card."),
        _ => new HeaderCard(Keyword, Value, Comment),
    };

    public override string ToString() => RawText.Length <= FitsConstants.CardLength ? RawText.TrimEnd() : $"{RawText[..80].TrimEnd()} (+{ImageCount - 1} CONTINUE)";
}
