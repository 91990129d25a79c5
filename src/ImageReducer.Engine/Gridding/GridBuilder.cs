using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Engine.Gridding;

/// <summary>
/// Builds the cells of a map-reduce run exactly as the reference's <c>_generateGrid</c> does:
/// the same boxes, in the same order (x outer loop, y inner loop), for every configuration.
/// </summary>
/// <remarks>
/// Pure and stateless (the reference caches the grid on its task object; this class does not), so it
/// is safe to call from any thread. Arithmetic follows the reference's numpy semantics bit for bit:
/// round-half-to-even of the scaled sizes, integer floor division, <c>np.linspace</c>'s float
/// centres and <c>floor(centre) − size // 2</c> offsets.
/// </remarks>
public static class GridBuilder
{
    /// <summary>Default limit on the number of candidate cells (before empty cells are dropped).</summary>
    public const long DefaultMaxCells = 1_000_000;

    /// <summary>Largest cell, step or border (pixels) accepted: far beyond any exposure, small enough that box arithmetic cannot overflow.</summary>
    public const int MaxSizePixels = 1 << 28;

    /// <summary>
    /// Builds the grid of <paramref name="exposure"/>. Without explicit centroids the PSF FWHM is
    /// measured at the PSF's average position (<see cref="Psf.ComputeFwhm()"/>), as the reference does.
    /// </summary>
    /// <remarks>
    /// Like the reference, the FWHM is measured whenever no centroids are configured, even when
    /// <c>scaleByFwhm</c> is false and the value is not used for the sizes (it is reported in
    /// <see cref="Grid.Fwhm"/>). Unlike the reference, an exposure without a PSF is accepted in that
    /// case: the FWHM is then null.
    /// </remarks>
    /// <exception cref="ConfigValidationException">A configuration field is invalid or rounds to an unusable size.</exception>
    /// <exception cref="MissingPsfException">The sizes are in FWHM units but the exposure has no PSF.</exception>
    /// <exception cref="InvalidPsfException">The PSF's FWHM is not a finite positive number.</exception>
    /// <exception cref="GridTooLargeException">More than <see cref="DefaultMaxCells"/> candidate cells.</exception>
    /// <exception cref="OddBoxException"><c>forceEvenSized</c> cannot make a box even.</exception>
    public static Grid Build(Exposure exposure, MapReduceConfig config) => Build(exposure, config, DefaultMaxCells);

    /// <inheritdoc cref="Build(Exposure, MapReduceConfig)"/>
    /// <param name="exposure">The exposure whose box (and PSF) the grid is built for.</param>
    /// <param name="config">The configuration; validated here.</param>
    /// <param name="maxCells">Limit on the number of candidate cells; &gt; 0 and at most <see cref="Array.MaxLength"/>.</param>
    public static Grid Build(Exposure exposure, MapReduceConfig config, long maxCells)
    {
        ArgumentNullException.ThrowIfNull(exposure);
        return Build(exposure.Box, exposure.Psf, config, maxCells);
    }

    /// <summary>
    /// Builds the grid of an exposure known only by its box and PSF (for planners that read the
    /// headers of a large file without its pixels); same rules and errors as <see cref="Build(Exposure, MapReduceConfig)"/>.
    /// </summary>
    /// <param name="bounds">The exposure box (its origin may be non-zero).</param>
    /// <param name="psf">The exposure's PSF, or null.</param>
    /// <param name="config">The configuration; validated here.</param>
    /// <param name="maxCells">Limit on the number of candidate cells.</param>
    public static Grid Build(Box bounds, Psf? psf, MapReduceConfig config, long maxCells)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        double? fwhm = null;
        if (!config.HasCentroids)
        {
            if (psf is not null)
            {
                fwhm = psf.ComputeFwhm();
                if (config.ScaleByFwhm && !IsUsableFwhm(fwhm.Value))
                    throw new InvalidPsfException(FormattableString.Invariant(
                        $"the exposure's {psf.Kind} PSF has FWHM {fwhm.Value} at its average position {psf.AveragePosition}; the grid sizes are in FWHM units (scaleByFwhm) and need a finite FWHM > 0"));
            }
            else if (config.ScaleByFwhm)
            {
                throw new MissingPsfException(
                    $"the configuration needs a PSF: without cellCentroidsX/cellCentroidsY the grid fields (cellSize, gridStep, borderSize) are in units of the PSF FWHM (scaleByFwhm = true), but exposure {bounds} has no PSF; " +
                    "provide a PSF with the exposure, or set scaleByFwhm to false (sizes in pixels), or give explicit cellCentroidsX/cellCentroidsY");
            }
        }
        return Build(bounds, fwhm, config, maxCells);
    }

    /// <summary>Builds the grid for an exposure box and a known PSF FWHM.</summary>
    /// <param name="bounds">The exposure box (its origin may be non-zero).</param>
    /// <param name="fwhm">
    /// PSF FWHM in pixels. Required (finite, &gt; 0) when there are no centroids and
    /// <c>scaleByFwhm</c> is true; otherwise unused for the sizes and may be null. Reported in
    /// <see cref="Grid.Fwhm"/> when there are no centroids.
    /// </param>
    /// <param name="config">The configuration; validated here.</param>
    /// <exception cref="ConfigValidationException">A configuration field is invalid or rounds to an unusable size.</exception>
    /// <exception cref="ArgumentException"><paramref name="fwhm"/> is needed but null, not finite or not &gt; 0.</exception>
    /// <exception cref="GridTooLargeException">More than <see cref="DefaultMaxCells"/> candidate cells.</exception>
    /// <exception cref="OddBoxException"><c>forceEvenSized</c> cannot make a box even.</exception>
    public static Grid Build(Box bounds, double? fwhm, MapReduceConfig config) => Build(bounds, fwhm, config, DefaultMaxCells);

    /// <inheritdoc cref="Build(Box, double?, MapReduceConfig)"/>
    /// <param name="bounds">The exposure box (its origin may be non-zero).</param>
    /// <param name="fwhm">PSF FWHM in pixels (see the three-argument overload).</param>
    /// <param name="config">The configuration; validated here.</param>
    /// <param name="maxCells">Limit on the number of candidate cells; &gt; 0 and at most <see cref="Array.MaxLength"/>.</param>
    public static Grid Build(Box bounds, double? fwhm, MapReduceConfig config, long maxCells)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCells);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxCells, Array.MaxLength);  // the boxes live in lists
        config.Validate();
        return config.HasCentroids
            ? BuildFromCentroids(bounds, config, maxCells)
            : BuildFromGridFields(bounds, fwhm, config, maxCells);
    }

    private static Grid BuildFromCentroids(Box bounds, MapReduceConfig config, long maxCells)
    {
        // The reference passes the raw float sizes to Extent2I, which truncates toward zero: no FWHM scaling here.
        int cellX = Truncated(config.CellSizeX, "cellSizeX", minimum: 1);
        int cellY = Truncated(config.CellSizeY, "cellSizeY", minimum: 1);
        int borderX = Truncated(config.BorderSizeX, "borderSizeX", minimum: 0);
        int borderY = Truncated(config.BorderSizeY, "borderSizeY", minimum: 0);
        int n = config.CellCentroidsX!.Count;
        if (n > maxCells)
            throw new GridTooLargeException(n, maxCells, FormattableString.Invariant(
                $"cellCentroidsX/cellCentroidsY give {n} cells, more than the limit of {maxCells}; give fewer centroids or raise the limit"));

        var assembler = new CellAssembler(bounds, cellX, cellY, borderX, borderY, config.ForceEvenSized, n);
        for (int i = 0; i < n; i++)
            assembler.Add(config.CellCentroidsX[i], config.CellCentroidsY![i]);
        return new Grid(assembler.Cells, assembler.ExpandedCells);
    }

    private static Grid BuildFromGridFields(Box bounds, double? fwhm, MapReduceConfig config, long maxCells)
    {
        bool scale = config.ScaleByFwhm;
        if (scale && (fwhm is not { } f || !IsUsableFwhm(f)))
            throw new ArgumentException(FormattableString.Invariant(
                $"a finite PSF FWHM > 0 is needed (scaleByFwhm = true and no cellCentroidsX/cellCentroidsY), got {(fwhm is null ? "null" : fwhm.Value)}"), nameof(fwhm));

        var sizes = new GridSizes(
            Rescaled(config.CellSizeX, "cellSizeX", scale, fwhm),
            Rescaled(config.CellSizeY, "cellSizeY", scale, fwhm),
            Rescaled(config.GridStepX, "gridStepX", scale, fwhm),
            Rescaled(config.GridStepY, "gridStepY", scale, fwhm),
            Rescaled(config.BorderSizeX, "borderSizeX", scale, fwhm),
            Rescaled(config.BorderSizeY, "borderSizeY", scale, fwhm));

        var x = AxisCentres.Create(config.AdjustGridOption, bounds.Width, sizes.CellSizeX, sizes.GridStepX, "X", config, scale, fwhm);
        var y = AxisCentres.Create(config.AdjustGridOption, bounds.Height, sizes.CellSizeY, sizes.GridStepY, "Y", config, scale, fwhm);

        long count = x.Count > 0 && y.Count > long.MaxValue / x.Count ? long.MaxValue : x.Count * y.Count;
        if (count > maxCells)
            throw new GridTooLargeException(count, maxCells, FormattableString.Invariant(
                $"the grid would have {count} cells ({x.Count} × {y.Count}) on exposure {bounds} with cells of {x.CellSize}×{y.CellSize} px and steps of {sizes.GridStepX}×{sizes.GridStepY} px (adjustGridOption {ConfigJson.EnumName(config.AdjustGridOption.ToString())}), more than the limit of {maxCells}; increase cellSizeX/cellSizeY (or gridStepX/gridStepY) or raise the limit"));

        var used = sizes with { CellSizeX = x.CellSize, CellSizeY = y.CellSize };
        var assembler = new CellAssembler(bounds, x.CellSize, y.CellSize, sizes.BorderSizeX, sizes.BorderSizeY, config.ForceEvenSized, (int)count);
        // The reference's order: x in the outer loop, y in the inner loop.
        for (long i = 0; i < x.Count; i++)
        {
            double cx = x[i];
            for (long j = 0; j < y.Count; j++)
                assembler.Add(cx, y[j]);
        }
        return new Grid(assembler.Cells, assembler.ExpandedCells, fwhm, used);
    }

    private static bool IsUsableFwhm(double fwhm) => double.IsFinite(fwhm) && fwhm > 0;

    /// <summary>np.rint(value × FWHM) or np.rint(value): round half to even.</summary>
    private static int Rescaled(double value, string field, bool scale, double? fwhm)
    {
        double v = scale ? value * fwhm!.Value : value;
        double r = Math.Round(v, MidpointRounding.ToEven);
        if (!(r <= MaxSizePixels))
            throw new ConfigValidationException(field, FormattableString.Invariant(
                $"{field} = {value}{(scale ? $" × FWHM {fwhm}" : "")} rounds to {r} pixels, more than the maximum of {MaxSizePixels}"));
        return (int)r;
    }

    /// <summary>The reference's Extent2I(double) conversion: truncation toward zero.</summary>
    private static int Truncated(double value, string field, int minimum)
    {
        double t = Math.Truncate(value);
        if (t < minimum)
            throw new ConfigValidationException(field, FormattableString.Invariant(
                $"{field} = {value} truncates to {t} pixels with explicit cellCentroidsX/cellCentroidsY (sizes are raw pixels there, not FWHM units); it must be at least {minimum} (the reference would silently produce no cells)"));
        if (t > MaxSizePixels)
            throw new ConfigValidationException(field, FormattableString.Invariant(
                $"{field} = {value} is more than the maximum of {MaxSizePixels} pixels"));
        return (int)t;
    }

}
