using ImageReducer.Engine.Fits;
using ImageReducer.TestSupport;

namespace ImageReducer.Workflow.Tests.Reliability;

/// <summary>
/// What the workflow path (Plan → MapTile → Reduce) must do with each <see cref="MalformedFitsCorpus"/>
/// variant, and the selections the reliability tests run.
/// </summary>
/// <remarks>
/// <para>The corpus' expectations assume the engine test's reads: whole planes, 1 MiB data units,
/// 64 KiB headers, 16 HDUs. The workflow reads with the engine's default limits (16 GiB, 32 MiB,
/// 10,000) and reads the pixel planes of extension layouts in row bands, so a few outcomes differ, by
/// design:</para>
/// <list type="bullet">
/// <item>NAXIS1 = 10,000,000 is under the 16 GiB limit: the file is then shorter than declared (Truncated, not TooLarge);
/// a 30-block header without END is under 32 MiB (MissingEnd, not TooLarge); 20 empty extensions are under 10,000 HDUs (accepted).</item>
/// <item>An LSST file whose PSF table is missing or not a table is an exposure without a PSF (accepted: a
/// pixel-unit grid does not need one; the output carries no PSF, as <c>imred run</c>'s does).</item>
/// <item>Checksums: the engine verifies CHECKSUM/DATASUM only when it reads a whole data unit. The workflow
/// reads whole the primary HDU (every tile verifies it; for a one-HDU Plain file that is the image) and the
/// PSF table (plan and reduce), so damage there is a ChecksumMismatch. The LSST IMAGE/MASK/VARIANCE planes
/// are read in bands, but each tile sums the raw bytes of the rows it owns and the reduce step adds the sums
/// up (with the padding and header sums the plan recorded) and checks DATASUM and CHECKSUM before committing
/// anything: the same categories as the engine (a DATASUM that does not parse is a BadCard at plan time). The
/// extension planes of other layouts (HST SCI/ERR/DQ) go through the engine's region reader, which does not
/// sum them: in a multi-tile run their DATASUM/CHECKSUM cards are neither verified nor parsed (the metadata
/// says <c>inputChecksumsVerified: false</c>) and a flipped data bit passes through (the output reproduces
/// the input's pixels). A run whose single tile covers the whole exposure reads the planes whole and then
/// the engine verifies them.</item>
/// </list>
/// </remarks>
public static class WorkflowCorpus
{
    /// <summary>The configuration of the corpus runs: a pixel-unit grid (no PSF needed), 9 × 7 cells, <c>add</c> + <c>average</c>.</summary>
    public const string ConfigJson =
        """{ "cellSizeX": 9, "cellSizeY": 7, "gridStepX": 8, "gridStepY": 6, "borderSizeX": 3, "borderSizeY": 2, "adjustGridOption": "none", "scaleByFwhm": false, "mapper": { "name": "add" }, "reducer": { "reduceOperation": "average" } }""";

    /// <summary>Rows per tile of the corpus runs: 16 rows cut the 64-row seeds into 4 bands, none covering a whole plane.</summary>
    public const int TileSize = 16;

    /// <summary>The category the workflow must report for <paramref name="v"/>, or null when it must reduce it.</summary>
    public static FitsErrorCategory? Expected(MalformedFitsVariant v)
    {
        ArgumentNullException.ThrowIfNull(v);
        if (v.Name.EndsWith("-naxis1-10000000", StringComparison.Ordinal)) return FitsErrorCategory.Truncated;
        if (v.Name.EndsWith("/file/header-over-limit", StringComparison.Ordinal)) return FitsErrorCategory.MissingEnd;
        if (v.Name.EndsWith("/file/too-many-hdus", StringComparison.Ordinal)) return null;
        if (v.Seed == "lsst" && v.Expected == FitsErrorCategory.BadLayout && v.Hdu is null && LosesOnlyThePsf(v.Name)) return null;
        bool checksum = v.Expected == FitsErrorCategory.ChecksumMismatch
            || (v.Expected == FitsErrorCategory.BadCard && v.Keyword is "DATASUM" or "CHECKSUM");
        if (checksum && IsBandReadPlane(v) && v.Seed != "lsst") return null;
        return v.Expected;
    }

    /// <summary>
    /// The variants the workflow must reject, thinned for speed but covering every category: every
    /// truncation (every HDU boundary, inside every header and data unit), every variant of the small
    /// categories, every third of the large ones (cards, BITPIX, axes, END, checksums…).
    /// </summary>
    public static IReadOnlyList<MalformedFitsVariant> Rejected()
    {
        var rejected = MalformedFitsCorpus.All.Where(v => Expected(v) is not null).ToList();
        var sizes = rejected.GroupBy(v => Expected(v)!.Value).ToDictionary(g => g.Key, g => g.Count());
        var seen = new Dictionary<FitsErrorCategory, int>();
        var picked = new List<MalformedFitsVariant>();
        foreach (var v in rejected)
        {
            var category = Expected(v)!.Value;
            int n = seen[category] = seen.GetValueOrDefault(category) + 1;
            if (v.Name.Contains("/truncate/", StringComparison.Ordinal) || v.Seed == "none" || sizes[category] < 60 || n % 3 == 1) picked.Add(v);
        }
        return picked;
    }

    /// <summary>The variants the workflow must reduce: readable ones and the tolerated damages above.</summary>
    public static IReadOnlyList<MalformedFitsVariant> Accepted() => MalformedFitsCorpus.All.Where(v => Expected(v) is null).ToList();

    /// <summary>
    /// About 20 rejected variants for the orchestrator on Azurite: for each category, the first variant,
    /// then further ones spread over seeds and HDUs until there are 20.
    /// </summary>
    public static IReadOnlyList<MalformedFitsVariant> OrchestratorSample(int count = 20)
    {
        var rejected = Rejected();
        var picked = rejected.GroupBy(v => Expected(v)!.Value).Select(g => g.First()).ToList();
        int step = Math.Max(1, rejected.Count / Math.Max(1, count - picked.Count));
        for (int i = step / 2; i < rejected.Count && picked.Count < count; i += step)
            if (!picked.Contains(rejected[i])) picked.Add(rejected[i]);
        return picked;
    }

    private static bool LosesOnlyThePsf(string name) =>
        name is "lsst/truncate/hdu4-boundary" or "lsst/truncate/hdu3-padding-missing" or "lsst/truncate/hdu3-padding-1-byte-short"
            or "lsst/card/hdu4-xtension-string-value"
        || name.StartsWith("lsst/xtension/hdu4-", StringComparison.Ordinal);

    /// <summary>A pixel plane the workflow reads in bands: an extension of a multi-HDU layout other than the PSF table (LSST's are checksummed by the tiles).</summary>
    private static bool IsBandReadPlane(MalformedFitsVariant v) =>
        v.Hdu is int hdu && hdu > 0 && !(v.Seed == "lsst" && hdu == 4);
}
