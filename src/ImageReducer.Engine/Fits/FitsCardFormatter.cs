using System.Globalization;
using System.Text;

namespace ImageReducer.Engine.Fits;

/// <summary>
/// Writes cards strictly: fixed-format values (right-justified to column 30, strings from column 11,
/// at least 8 characters inside the quotes), HIERARCH for keywords that are not standard, CONTINUE
/// for strings longer than one card, commentary text split into 72-character cards. Comments that do
/// not fit are truncated (a comment never changes meaning); anything else that cannot be written is
/// an <see cref="ArgumentException"/>.
/// </summary>
internal static class FitsCardFormatter
{
    private const int Width = FitsConstants.CardLength;

    public static bool IsStandardKeyword(string keyword)
    {
        if (keyword.Length is 0 or > 8) return false;
        foreach (char c in keyword)
            if (!(c is >= 'A' and <= 'Z' or >= '0' and <= '9' or '_' or '-')) return false;
        return true;
    }

    public static (string Raw, bool Hierarch) Format(HeaderCard card)
    {
        string keyword = card.Keyword ?? throw new ArgumentException("A card needs a keyword.", nameof(card));
        if (card.IsCommentary) return (FormatCommentary(keyword, card.Comment ?? ""), false);
        CheckAscii(keyword, "keyword", keyword);
        if (keyword is "END" or "CONTINUE")
            throw new ArgumentException($"'{keyword}' is reserved and cannot be written as a card.", nameof(card));
        if (card.Comment is not null) CheckAscii(card.Comment, "comment", keyword);
        if (IsStandardKeyword(keyword)) return (FormatStandard(keyword, card.Value, card.Comment), false);
        if (keyword != keyword.Trim() || keyword.Contains('=') || keyword.Length == 0)
            throw new ArgumentException($"Keyword '{keyword}' cannot be written even with HIERARCH (blank ends or '=').", nameof(card));
        return (FormatHierarch(keyword, card.Value, card.Comment), true);
    }

    private static string FormatCommentary(string keyword, string text)
    {
        if (keyword.Length > 8 || (keyword.Length > 0 && !IsStandardKeyword(keyword)))
            throw new ArgumentException($"Commentary keyword '{keyword}' is not valid.", nameof(keyword));
        CheckAscii(text, "text", keyword);
        var sb = new StringBuilder();
        int perCard = Width - 8;
        int k = 0;
        do
        {
            string chunk = text.Length - k > perCard ? text.Substring(k, perCard) : text[k..];
            sb.Append(keyword.PadRight(8)).Append(chunk.PadRight(perCard));
            k += perCard;
        } while (k < text.Length);
        return sb.ToString();
    }

    private static string FormatStandard(string keyword, object? value, string? comment)
    {
        if (value is string s)
        {
            CheckAscii(s, "string value", keyword);
            string escaped = s.Replace("'", "''");
            if (escaped.Length <= Width - 12)
                // Quoted value padded to 20 columns like other fixed-format values (astropy re-formats
                // CHECKSUM this way when verifying, so the layout must match).
                return Fit(keyword.PadRight(8) + "= " + ("'" + escaped.PadRight(8) + "'").PadRight(20), comment);
            return FormatLongString(keyword, s, comment);
        }
        string text = ValueText(value, keyword);
        return Fit(keyword.PadRight(8) + "= " + text.PadLeft(20), comment);
    }

    private static string FormatLongString(string keyword, string s, string? comment)
    {
        // Chunks of at most 67 escaped characters, never splitting a doubled quote.
        var parts = new List<string>();
        var cur = new StringBuilder();
        foreach (char c in s)
        {
            int add = c == '\'' ? 2 : 1;
            if (cur.Length + add > Width - 13) { parts.Add(cur.ToString()); cur.Clear(); }
            cur.Append(c == '\'' ? "''" : c.ToString());
        }
        parts.Add(cur.ToString());
        var sb = new StringBuilder();
        for (int k = 0; k < parts.Count; k++)
        {
            bool last = k == parts.Count - 1;
            string prefix = k == 0 ? keyword.PadRight(8) + "= " : "CONTINUE  ";
            string body = prefix + "'" + parts[k] + (last ? "" : "&") + "'";
            sb.Append(last ? Fit(body, comment) : body.PadRight(Width));
        }
        return sb.ToString();
    }

    private static string FormatHierarch(string keyword, object? value, string? comment)
    {
        string text = value is string s ? "'" + CheckedString(s, keyword).Replace("'", "''") + "'" : ValueText(value, keyword);
        string body = "HIERARCH " + keyword + " = " + text;
        if (body.Length > Width)
            throw new ArgumentException($"HIERARCH card {keyword} = {text} is longer than {Width} characters.", nameof(keyword));
        return Fit(body, comment);
    }

    private static string CheckedString(string s, string keyword)
    {
        CheckAscii(s, "string value", keyword);
        return s;
    }

    /// <summary>Appends " / comment" truncated to the card width and pads to 80.</summary>
    private static string Fit(string body, string? comment)
    {
        if (body.Length > Width) throw new InvalidOperationException($"Internal error: card body longer than {Width}: {body}");
        if (!string.IsNullOrEmpty(comment) && body.Length + 3 < Width)
        {
            string withComment = body + " / " + comment;
            body = withComment.Length > Width ? withComment[..Width] : withComment;
        }
        return body.PadRight(Width);
    }

    /// <summary>The text of a non-string value (right-justification is the caller's).</summary>
    public static string ValueText(object? value, string keyword) => value switch
    {
        null => "",
        bool b => b ? "T" : "F",
        long l => l.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        short sh => sh.ToString(CultureInfo.InvariantCulture),
        byte by => by.ToString(CultureInfo.InvariantCulture),
        sbyte sb => sb.ToString(CultureInfo.InvariantCulture),
        ushort us => us.ToString(CultureInfo.InvariantCulture),
        uint ui => ui.ToString(CultureInfo.InvariantCulture),
        ulong ul when ul <= long.MaxValue => ul.ToString(CultureInfo.InvariantCulture),
        double d => RealText(d, keyword),
        float f => RealText(f, keyword),
        decimal m => RealText((double)m, keyword),
        _ => throw new ArgumentException($"Card {keyword}: a value of type {value.GetType().Name} cannot be written to FITS (use string, bool, integer or real).", nameof(value)),
    };

    /// <summary>Shortest round-trip text, always with a decimal point and an upper-case E exponent.</summary>
    public static string RealText(double d, string keyword)
    {
        if (!double.IsFinite(d))
            throw new ArgumentException($"Card {keyword}: {d} cannot be written to a FITS header (only finite reals).", nameof(d));
        string t = d.ToString("R", CultureInfo.InvariantCulture);
        int e = t.IndexOf('E');
        string mantissa = e < 0 ? t : t[..e], exponent = e < 0 ? "" : t[e..];
        if (!mantissa.Contains('.')) mantissa += ".0";
        return mantissa + exponent;
    }

    private static void CheckAscii(string s, string what, string keyword)
    {
        foreach (char c in s)
            if (c is < ' ' or > '~')
                throw new ArgumentException($"Card {keyword}: the {what} holds character U+{(int)c:X4}; FITS headers are printable ASCII only.", nameof(s));
    }
}
