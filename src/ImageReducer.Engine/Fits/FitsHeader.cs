using System.Collections;
using System.Text;

namespace ImageReducer.Engine.Fits;

/// <summary>
/// An ordered list of <see cref="FitsCard"/>s (END excluded) with typed look-ups whose errors name
/// the file, HDU and card.
/// </summary>
/// <remarks>
/// Look-ups are case-insensitive and return the first card with the keyword. A header read from a
/// file keeps every card's raw text, so writing it back reproduces cards it did not understand.
/// Not thread-safe for mutation.
/// </remarks>
public sealed class FitsHeader : IReadOnlyList<FitsCard>
{
    private readonly List<FitsCard> cards = [];

    /// <summary>An empty header, to be filled with <see cref="Add(FitsCard)"/>.</summary>
    public FitsHeader() { }

    /// <summary>A header holding <paramref name="cards"/>, each formatted strictly.</summary>
    /// <exception cref="ArgumentException">A card cannot be written as valid FITS.</exception>
    public FitsHeader(IEnumerable<HeaderCard> cards)
    {
        ArgumentNullException.ThrowIfNull(cards);
        foreach (var c in cards) Add(c);
    }

    internal FitsHeader(List<FitsCard> cards, string? file, int hduIndex)
    {
        this.cards = cards;
        File = file;
        HduIndex = hduIndex;
    }

    /// <summary>The file the header was read from (for error messages), or null.</summary>
    public string? File { get; }

    /// <summary>The HDU index the header was read from (for error messages), or 0.</summary>
    public int HduIndex { get; }

    public int Count => cards.Count;
    public FitsCard this[int index] => cards[index];
    public IEnumerator<FitsCard> GetEnumerator() => cards.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Index of the first card with <paramref name="keyword"/>, or −1.</summary>
    public int IndexOf(string keyword)
    {
        for (int i = 0; i < cards.Count; i++)
            if (string.Equals(cards[i].Keyword, keyword, StringComparison.OrdinalIgnoreCase) && !cards[i].IsCommentary) return i;
        return -1;
    }

    /// <summary>The first value card with <paramref name="keyword"/>, or null.</summary>
    public FitsCard? Find(string keyword)
    {
        int i = IndexOf(keyword);
        return i < 0 ? null : cards[i];
    }

    /// <summary>True when a value card with <paramref name="keyword"/> exists.</summary>
    public bool Contains(string keyword) => IndexOf(keyword) >= 0;

    /// <summary>Appends a card.</summary>
    public void Add(FitsCard card) => cards.Add(card ?? throw new ArgumentNullException(nameof(card)));

    /// <summary>Appends a card formatted strictly.</summary>
    public void Add(HeaderCard card) => Add(FitsCard.Create(card));

    /// <summary>Appends a card formatted strictly.</summary>
    public void Add(string keyword, object? value, string? comment = null) => Add(FitsCard.Create(keyword, value, comment));

    /// <summary>Replaces the first card with <paramref name="keyword"/> in place, or appends one.</summary>
    public void Set(string keyword, object? value, string? comment = null)
    {
        var card = FitsCard.Create(keyword, value, comment);
        int i = IndexOf(keyword);
        if (i < 0) cards.Add(card); else cards[i] = card;
    }

    /// <summary>Removes every value card with <paramref name="keyword"/>; returns how many.</summary>
    public int Remove(string keyword) =>
        cards.RemoveAll(c => !c.IsCommentary && string.Equals(c.Keyword, keyword, StringComparison.OrdinalIgnoreCase));

    /// <summary>An integer value.</summary>
    /// <exception cref="FitsFormatException">Missing, or not an integer.</exception>
    public long GetInt64(string keyword) => TryGetInt64(keyword, out long v)
        ? v
        : throw (Contains(keyword) ? Wrong(keyword, "an integer") : Missing(keyword));

    /// <summary>An integer value if the card exists and holds one; a card of another type is an error.</summary>
    /// <exception cref="FitsFormatException">The card exists but is not an integer.</exception>
    public bool TryGetInt64(string keyword, out long value)
    {
        value = 0;
        int i = IndexOf(keyword);
        if (i < 0) return false;
        switch (cards[i].Value)
        {
            case long l: value = l; return true;
            case double d when d == Math.Floor(d) && Math.Abs(d) < 9e15: value = (long)d; return true;
            default: throw Wrong(keyword, "an integer");
        }
    }

    /// <summary>A real (or integer) value, or <paramref name="fallback"/> when absent.</summary>
    /// <exception cref="FitsFormatException">The card exists but is not a number.</exception>
    public double GetDouble(string keyword, double fallback)
    {
        int i = IndexOf(keyword);
        if (i < 0) return fallback;
        return cards[i].Value switch
        {
            long l => l,
            double d => d,
            _ => throw Wrong(keyword, "a number"),
        };
    }

    /// <summary>A string value, or null when absent.</summary>
    /// <exception cref="FitsFormatException">The card exists but is not a string.</exception>
    public string? GetString(string keyword)
    {
        int i = IndexOf(keyword);
        if (i < 0) return null;
        return cards[i].Value as string ?? throw Wrong(keyword, "a string");
    }

    /// <summary>A logical value, or <paramref name="fallback"/> when absent.</summary>
    /// <exception cref="FitsFormatException">The card exists but is not T or F.</exception>
    public bool GetBool(string keyword, bool fallback)
    {
        int i = IndexOf(keyword);
        if (i < 0) return fallback;
        return cards[i].Value is bool b ? b : throw Wrong(keyword, "T or F");
    }

    /// <summary>The error for an absent mandatory <paramref name="keyword"/>: malformed when a card has the keyword but no value indicator.</summary>
    internal FitsFormatException Missing(string keyword)
    {
        for (int i = 0; i < cards.Count; i++)
            if (cards[i].IsCommentary && string.Equals(cards[i].Keyword, keyword, StringComparison.OrdinalIgnoreCase))
                return FitsErrors.MalformedCard(File, HduIndex, i, cards[i].Keyword, $"{cards[i].Keyword} has no value indicator ('= ' in columns 9-10)");
        return FitsErrors.MissingKeyword(File, HduIndex, keyword);
    }

    private FitsFormatException Wrong(string keyword, string expected)
    {
        int i = IndexOf(keyword);
        var c = cards[i];
        string found = c.Kind == FitsValueKind.Unparsed ? $"an unparseable value ({c.ParseError})" : $"{c.Kind} value '{c.Value}'";
        return FitsErrors.MalformedCard(File, HduIndex, i, c.Keyword, $"expected {expected}, found {found}");
    }

    /// <summary>Number of bytes <see cref="Encode"/> produces: the cards plus END, padded to whole blocks.</summary>
    public int EncodedLength
    {
        get
        {
            long images = 1; // END
            foreach (var c in cards) images += c.ImageCount; // a loop: LINQ's Sum over a selector is JIT-compiled in every fresh process
            return (int)FitsConstants.PadToBlock(images * FitsConstants.CardLength);
        }
    }

    /// <summary>The header as written: every card's raw text, END, then spaces to a block boundary.</summary>
    public byte[] Encode()
    {
        var bytes = new byte[EncodedLength];
        int pos = 0;
        foreach (var c in cards) pos += Encoding.ASCII.GetBytes(c.RawText, bytes.AsSpan(pos));
        pos += Encoding.ASCII.GetBytes("END".PadRight(FitsConstants.CardLength), bytes.AsSpan(pos));
        bytes.AsSpan(pos).Fill((byte)' ');
        return bytes;
    }
}
