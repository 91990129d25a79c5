using System.Globalization;

namespace ImageReducer.Engine.Fits;

/// <summary>
/// A binary-table column: name, FITS type code and repeat count (TTYPEn, TFORMn = <c>rT</c>, TUNITn).
/// Readable and writable codes: L B I J K A E D; tables with X C M P Q columns can be opened (their
/// widths are known) but those columns cannot be read.
/// </summary>
public sealed record FitsColumn
{
    /// <exception cref="ArgumentException">An unknown type code, a negative repeat, or a name that is not printable ASCII.</exception>
    public FitsColumn(string name, char type, int repeat = 1, string? unit = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (repeat < 0) throw new ArgumentOutOfRangeException(nameof(repeat), $"repeat must be >= 0, got {repeat}");
        if (ElementWidth(type, repeat) < 0) throw new ArgumentException($"Unknown TFORM type code '{type}'.", nameof(type));
        (Name, Type, Repeat, Unit) = (name, type, repeat, unit);
    }

    public string Name { get; }
    /// <summary>The TFORM type code (L, B, I, J, K, A, E, D; X, C, M, P, Q width only).</summary>
    public char Type { get; }
    /// <summary>Elements per row (characters for A).</summary>
    public int Repeat { get; }
    public string? Unit { get; }

    /// <summary>The TFORMn value, e.g. <c>16A</c>, <c>1J</c>, <c>25D</c>.</summary>
    public string TForm => Repeat.ToString(CultureInfo.InvariantCulture) + Type;

    /// <summary>Bytes per element (per character for A).</summary>
    public int ElementSize => Type switch { 'L' or 'B' or 'A' => 1, 'I' => 2, 'J' or 'E' => 4, 'K' or 'D' or 'C' or 'P' => 8, 'M' or 'Q' => 16, _ => 0 };

    /// <summary>Bytes the column takes in a row.</summary>
    public int Width => ElementWidth(Type, Repeat);

    private static int ElementWidth(char type, int repeat) => type switch
    {
        'L' or 'B' or 'A' => repeat,
        'I' => checked(2 * repeat),
        'J' or 'E' => checked(4 * repeat),
        'K' or 'D' or 'C' => checked(8 * repeat),
        'M' => checked(16 * repeat),
        'P' => repeat == 0 ? 0 : 8,
        'Q' => repeat == 0 ? 0 : 16,
        'X' => (repeat + 7) / 8,
        _ => -1,
    };

    /// <summary>Parses a TFORM value (<c>rTa</c>; the optional trailing <c>a</c> is ignored); null when it is not one.</summary>
    public static FitsColumn? TryParse(string name, string tform, string? unit)
    {
        string t = tform.Trim();
        int i = 0;
        while (i < t.Length && char.IsAsciiDigit(t[i])) i++;
        if (i == t.Length || i > 9) return null;
        int repeat = i == 0 ? 1 : int.Parse(t[..i], CultureInfo.InvariantCulture);
        char type = char.ToUpperInvariant(t[i]);
        if (ElementWidth(type, repeat) < 0) return null;
        return new FitsColumn(string.IsNullOrWhiteSpace(name) ? "COL" : name, type, repeat, unit);
    }
}
