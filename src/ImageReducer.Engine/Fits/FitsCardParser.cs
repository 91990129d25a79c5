using System.Globalization;
using System.Text;

namespace ImageReducer.Engine.Fits;

/// <summary>Parses keyword and value fields of card images (FITS 4.0 §4.1–4.2, HIERARCH and CONTINUE conventions).</summary>
internal static class FitsCardParser
{
    /// <summary>A parsed value field.</summary>
    /// <param name="Kind">What the value is.</param>
    /// <param name="Value">The value, converted.</param>
    /// <param name="Comment">The comment after the value, if any.</param>
    /// <param name="Error">Why the value field is not valid, if it is not.</param>
    /// <param name="Conforming">
    /// For <see cref="FitsValueKind.Unparsed"/>: true when the value is valid FITS that this parser does
    /// not convert (a complex number), false when the value field breaks the standard's syntax.
    /// </param>
    internal sealed record Parsed(FitsValueKind Kind, object? Value, string? Comment, string? Error, bool Conforming = false);

    /// <summary>The keyword of an image, and whether it uses HIERARCH.</summary>
    public static (string Keyword, bool Hierarch) ParseKeyword(ReadOnlySpan<char> image)
    {
        var kw = image[..8].TrimEnd();
        if (kw.SequenceEqual("HIERARCH"))
        {
            int eq = image[8..].IndexOf('=');
            if (eq > 0)
            {
                var name = image.Slice(8, eq).Trim();
                if (name.Length > 0) return (name.ToString(), true);
            }
        }
        return (kw.ToString(), false);
    }

    /// <summary>Parses the value of a card (its raw text may hold several CONTINUE images).</summary>
    public static Parsed ParseValue(string raw, bool hierarch)
    {
        var first = raw.AsSpan(0, FitsConstants.CardLength);
        if (hierarch)
        {
            int eq = first[8..].IndexOf('=') + 8;
            return ParseField(first[(eq + 1)..].ToString());
        }
        var kw = first[..8].TrimEnd();
        if (kw.SequenceEqual("END")) return new Parsed(FitsValueKind.End, null, null, null);
        bool commentaryKeyword = kw.Length == 0 || kw.SequenceEqual("COMMENT") || kw.SequenceEqual("HISTORY");
        if (commentaryKeyword || !first.Slice(8, 2).SequenceEqual("= "))
        {
            string text = first[8..].TrimEnd().ToString();
            return new Parsed(FitsValueKind.Commentary, null, text, null);
        }
        var head = ParseField(first[10..].ToString());
        int images = raw.Length / FitsConstants.CardLength;
        if (images == 1) return head;

        // Long string: CONTINUE images each hold a string part ending in '&' (but the last).
        var value = new StringBuilder(StripAmpersand((string)head.Value!));
        var comments = new List<string>();
        if (!string.IsNullOrEmpty(head.Comment)) comments.Add(head.Comment);
        for (int k = 1; k < images; k++)
        {
            var part = ParseField(raw.Substring(k * FitsConstants.CardLength + 8, FitsConstants.CardLength - 8));
            if (part.Kind != FitsValueKind.String)
                return new Parsed(FitsValueKind.Unparsed, null, null, $"CONTINUE card {k} does not hold a string: {part.Error}");
            var s = (string)part.Value!;
            value.Append(k < images - 1 ? StripAmpersand(s) : s.EndsWith('&') ? s[..^1] : s);
            if (!string.IsNullOrEmpty(part.Comment)) comments.Add(part.Comment);
        }
        return new Parsed(FitsValueKind.String, value.ToString(), comments.Count > 0 ? string.Join(' ', comments) : null, null);
    }

    private static string StripAmpersand(string s) => s.EndsWith('&') ? s[..^1] : s;

    /// <summary>True when a parsed string value announces a CONTINUE card.</summary>
    public static bool EndsWithContinuation(FitsCard card)
    {
        if (card.IsHierarch || card.Kind != FitsValueKind.String) return false;
        if (card.ImageCount == 1) return card.Value is string s && s.EndsWith('&');
        var last = ParseField(card.RawText.Substring(card.RawText.Length - FitsConstants.CardLength + 8, FitsConstants.CardLength - 8));
        return last.Value is string p && p.EndsWith('&');
    }

    /// <summary>Parses a value field: value, then optional <c>/ comment</c>.</summary>
    public static Parsed ParseField(string field)
    {
        int i = 0, n = field.Length;
        while (i < n && field[i] == ' ') i++;
        if (i == n) return new Parsed(FitsValueKind.Undefined, null, null, null);
        if (field[i] == '/') return new Parsed(FitsValueKind.Undefined, null, CommentAfter(field, i), null);
        if (field[i] == '\'')
        {
            var sb = new StringBuilder();
            int j = i + 1;
            while (true)
            {
                if (j >= n) return Bad("the string has no closing quote");
                char c = field[j];
                if (c == '\'')
                {
                    if (j + 1 < n && field[j + 1] == '\'') { sb.Append('\''); j += 2; continue; }
                    j++;
                    break;
                }
                sb.Append(c);
                j++;
            }
            while (j < n && field[j] == ' ') j++;
            if (j < n && field[j] != '/') return Bad($"unexpected text after the string: '{field[j..].TrimEnd()}'");
            // Trailing spaces in a string are not significant (FITS 4.0 §4.2.1); leading ones are.
            return new Parsed(FitsValueKind.String, sb.ToString().TrimEnd(' '), j < n ? CommentAfter(field, j) : null, null);
        }
        int slash = field.IndexOf('/', i);
        string token = (slash < 0 ? field[i..] : field[i..slash]).Trim();
        string? comment = slash < 0 ? null : CommentAfter(field, slash);
        if (token == "T") return new Parsed(FitsValueKind.Logical, true, comment, null);
        if (token == "F") return new Parsed(FitsValueKind.Logical, false, comment, null);
        if (IsInteger(token))
        {
            if (long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l))
                return new Parsed(FitsValueKind.Integer, l, comment, null);
            return new Parsed(FitsValueKind.Real, double.Parse(token, NumberStyles.Float, CultureInfo.InvariantCulture), comment, null);
        }
        if (IsReal(token))
        {
            string t = token.Replace('D', 'E').Replace('d', 'E');
            if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
                return new Parsed(FitsValueKind.Real, d, comment, null);
        }
        if (IsComplex(token)) return new Parsed(FitsValueKind.Unparsed, null, comment, $"complex value '{token}' is not supported", Conforming: true);
        return Bad($"'{token}' is not a FITS value (string in quotes, T/F, integer or real)");
    }

    private static Parsed Bad(string why) => new(FitsValueKind.Unparsed, null, null, why);

    private static string? CommentAfter(string field, int slash)
    {
        string c = field[(slash + 1)..].Trim();
        return c.Length == 0 ? null : c;
    }

    private static bool IsInteger(string t)
    {
        int i = t.Length > 0 && (t[0] == '+' || t[0] == '-') ? 1 : 0;
        if (i == t.Length) return false;
        for (; i < t.Length; i++) if (!char.IsAsciiDigit(t[i])) return false;
        return true;
    }

    /// <summary><c>(real, imaginary)</c>, each part an integer or a real (FITS 4.0 §4.2.5–4.2.6).</summary>
    private static bool IsComplex(string t)
    {
        if (t.Length < 5 || t[0] != '(' || t[^1] != ')') return false;
        string[] parts = t[1..^1].Split(',');
        return parts.Length == 2 && parts.All(p => p.Trim() is { Length: > 0 } x && (IsInteger(x) || IsReal(x)));
    }

    /// <summary>[sign] (digits [. digits] | . digits) [E|D [sign] digits].</summary>
    private static bool IsReal(string t)
    {
        int i = 0, n = t.Length;
        if (i < n && (t[i] == '+' || t[i] == '-')) i++;
        int mantissaDigits = 0;
        while (i < n && char.IsAsciiDigit(t[i])) { i++; mantissaDigits++; }
        if (i < n && t[i] == '.')
        {
            i++;
            while (i < n && char.IsAsciiDigit(t[i])) { i++; mantissaDigits++; }
        }
        if (mantissaDigits == 0) return false;
        if (i < n && (t[i] is 'E' or 'e' or 'D' or 'd'))
        {
            i++;
            if (i < n && (t[i] == '+' || t[i] == '-')) i++;
            int exp = 0;
            while (i < n && char.IsAsciiDigit(t[i])) { i++; exp++; }
            if (exp == 0) return false;
        }
        return i == n;
    }
}
