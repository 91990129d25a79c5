using System.Text.RegularExpressions;

namespace ImageReducer.Engine.Fits;

/// <summary>Keywords of the exposure layout (spec §7) and the WCS keyword pattern used for foreign layouts.</summary>
internal static partial class ExposureFitsKeywords
{
    public const string MaskPlanePrefix = "MP_";

    [GeneratedRegex(@"^(EXTNAME|EXTTYPE|EXTVER|INHERIT|LTV[12]|CTYPE[12]A|CRPIX[12]A|CRVAL[12]A|CUNIT[12]A|BZERO|BSCALE|BLANK)$", RegexOptions.IgnoreCase)]
    private static partial Regex LayoutOwned();

    /// <summary>The primary (unlettered) celestial WCS: what is copied into Exposure.Wcs from HST/Gemini/plain files.</summary>
    [GeneratedRegex(@"^(WCSAXES|WCSNAME|CTYPE\d|CRPIX\d|CRVAL\d|CDELT\d|CUNIT\d|CROTA\d|CD\d_\d|PC\d_\d|PV\d_\d+|PS\d_\d+|LONPOLE|LATPOLE|RADESYS|EQUINOX|EPOCH|MJDREF|A_ORDER|B_ORDER|AP_ORDER|BP_ORDER|A_\d+_\d+|B_\d+_\d+|AP_\d+_\d+|BP_\d+_\d+|A_DMAX|B_DMAX)$", RegexOptions.IgnoreCase)]
    private static partial Regex Wcs();

    /// <summary>Cards the exposure writer generates on a plane HDU (callers' copies in Exposure.Wcs are dropped).</summary>
    public static bool IsLayoutOwned(string keyword) =>
        FitsHeaderBuilder.IsWriterOwned(keyword) || LayoutOwned().IsMatch(keyword) ||
        keyword.StartsWith(MaskPlanePrefix, StringComparison.OrdinalIgnoreCase);

    public static bool IsWcs(string keyword) => Wcs().IsMatch(keyword);
}
