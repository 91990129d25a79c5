using System.Text;

namespace ImageReducer.Engine.Tests.FitsTests;

/// <summary>Builds FITS bytes by hand (cards as text), so tests can make exactly the broken files they need.</summary>
internal static class RawFits
{
    /// <summary>A header: each string is one card (padded to 80), then END unless <paramref name="end"/> is false, padded to a block.</summary>
    public static byte[] Header(IEnumerable<string> cards, bool end = true)
    {
        var sb = new StringBuilder();
        foreach (var c in cards) sb.Append(c.PadRight(80)[..80]);
        if (end) sb.Append("END".PadRight(80));
        int len = (sb.Length + 2879) / 2880 * 2880;
        return Encoding.Latin1.GetBytes(sb.ToString().PadRight(len));
    }

    /// <summary>Data padded with zeros to a block.</summary>
    public static byte[] Data(byte[] data, bool pad = true)
    {
        if (!pad) return data;
        var padded = new byte[(data.Length + 2879) / 2880 * 2880];
        data.CopyTo(padded, 0);
        return padded;
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>The cards of a primary image header of the given BITPIX and size.</summary>
    public static List<string> ImageCards(int bitpix, int width, int height, params string[] extra)
    {
        var l = new List<string> { Card("SIMPLE", "T"), Card("BITPIX", bitpix.ToString()), Card("NAXIS", "2"),
            Card("NAXIS1", width.ToString()), Card("NAXIS2", height.ToString()) };
        l.AddRange(extra);
        return l;
    }

    /// <summary>A fixed-format card with a value right-justified to column 30.</summary>
    public static string Card(string keyword, string value) => $"{keyword,-8}= {value,20}";

    /// <summary>A complete primary 8-bit image file.</summary>
    public static byte[] Bytes8(int width, int height, params string[] extra) =>
        Concat(Header(ImageCards(8, width, height, extra)), Data(new byte[width * height]));
}
