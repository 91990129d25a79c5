using System.Globalization;
using ImageReducer.Engine.Fits;

namespace ImageReducer.Cli.Inspection;

/// <summary>CTYPE, CRVAL, CRPIX and the pixel scale (from CD or CDELT) of the primary WCS cards.</summary>
internal static class WcsSummarizer
{
    public static WcsSummary? Summarize(IReadOnlyList<HeaderCard> wcs)
    {
        var cards = wcs.Where(c => !c.IsCommentary).GroupBy(c => c.Keyword).ToDictionary(g => g.Key, g => g.Last().Value);
        if (!cards.ContainsKey("CTYPE1") && !cards.ContainsKey("CRVAL1")) return wcs.Count == 0 ? null : new WcsSummary([], null, null, null, wcs.Count);
        string[] ctype = [Text(cards, "CTYPE1"), Text(cards, "CTYPE2")];
        double[]? crval = Pair(cards, "CRVAL1", "CRVAL2");
        double[]? crpix = Pair(cards, "CRPIX1", "CRPIX2");
        double? scale = null;
        if (Number(cards, "CD1_1") is double cd11 && Number(cards, "CD2_2") is double cd22)
        {
            double cd12 = Number(cards, "CD1_2") ?? 0, cd21 = Number(cards, "CD2_1") ?? 0;
            scale = Math.Sqrt(Math.Abs(cd11 * cd22 - cd12 * cd21)) * 3600;
        }
        else if (Number(cards, "CDELT1") is double d1 && Number(cards, "CDELT2") is double d2)
        {
            scale = Math.Sqrt(Math.Abs(d1 * d2)) * 3600;
        }
        return new WcsSummary(ctype, crval, crpix, scale, wcs.Count);
    }

    private static string Text(Dictionary<string, object?> cards, string key) => cards.GetValueOrDefault(key)?.ToString()?.Trim() ?? "";

    private static double? Number(Dictionary<string, object?> cards, string key) => cards.GetValueOrDefault(key) switch
    {
        double d => d,
        float f => f,
        long l => l,
        int i => i,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) => v,
        _ => null,
    };

    private static double[]? Pair(Dictionary<string, object?> cards, string a, string b) =>
        Number(cards, a) is double x && Number(cards, b) is double y ? [x, y] : null;
}
