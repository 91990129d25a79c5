using ImageReducer.Engine.Config;

namespace ImageReducer.Engine.Gridding;

/// <summary>
/// The cell centres along one axis (relative to the exposure origin) and the cell size used on it,
/// computed lazily so a huge grid can be refused before anything is allocated.
/// </summary>
internal readonly struct AxisCentres
{
    private readonly double start;
    private readonly double stop;
    private readonly double step;
    private readonly bool linSpace;

    private AxisCentres(long count, int cellSize, double start, double stop, double step, bool linSpace)
    {
        Count = count;
        CellSize = cellSize;
        this.start = start;
        this.stop = stop;
        this.step = step;
        this.linSpace = linSpace;
    }

    /// <summary>Number of centres.</summary>
    public long Count { get; }

    /// <summary>The cell size (pixels) used on this axis (gridStep + 1 for <c>size</c>).</summary>
    public int CellSize { get; }

    /// <summary>
    /// Centre <paramref name="i"/>, bit-identical to the reference's value: for <c>spacing</c>
    /// numpy's <c>linspace</c> (<c>i·step + start</c> with <c>step = (stop − start)/(n − 1)</c>, the
    /// last element exactly <c>stop</c>); otherwise <c>np.arange</c>'s integers.
    /// </summary>
    public double this[long i]
    {
        get
        {
            if (!linSpace) return start + i * step;  // integers well below 2^53: exact
            if (Count == 1) return 0.0 * (stop - start) + start;
            if (i == Count - 1) return stop;
            long div = Count - 1;
            double delta = stop - start;
            double s = delta / div;
            // numpy's gh-5437 branch for a zero step: (i / div) · delta.
            return s == 0 ? (double)i / div * delta + start : (double)i * s + start;
        }
    }

    /// <summary>The reference's centres for one axis of length <paramref name="length"/>.</summary>
    /// <param name="option">The grid adjustment.</param>
    /// <param name="length">W (or H), ≥ 0.</param>
    /// <param name="cellSize">Rounded cell size (pixels), ≥ 0.</param>
    /// <param name="gridStep">Rounded grid step (pixels), ≥ 0.</param>
    /// <param name="axis"><c>X</c> or <c>Y</c>, for field names in messages.</param>
    /// <param name="config">The configuration, for messages.</param>
    /// <param name="scale">Whether sizes were scaled by the FWHM, for messages.</param>
    /// <param name="fwhm">The FWHM, for messages.</param>
    public static AxisCentres Create(AdjustGridOption option, int length, int cellSize, int gridStep,
        string axis, MapReduceConfig config, bool scale, double? fwhm)
    {
        string cellField = "cellSize" + axis, stepField = "gridStep" + axis;
        switch (option)
        {
            case AdjustGridOption.Spacing:
                RequirePositive(cellSize, cellField, axis == "X" ? config.CellSizeX : config.CellSizeY, option, scale, fwhm);
                long half = cellSize / 2;
                return new AxisCentres(length / cellSize + 1, cellSize, half, length - half, 0, linSpace: true);
            case AdjustGridOption.Size:
                // cellSize := gridStep; centres every gridStep; then cellSize + 1 so neighbours touch.
                RequirePositive(gridStep, stepField, axis == "X" ? config.GridStepX : config.GridStepY, option, scale, fwhm);
                return new AxisCentres(CeilDiv(length, gridStep), gridStep + 1, gridStep / 2, 0, gridStep, linSpace: false);
            case AdjustGridOption.None:
                RequirePositive(cellSize, cellField, axis == "X" ? config.CellSizeX : config.CellSizeY, option, scale, fwhm);
                RequirePositive(gridStep, stepField, axis == "X" ? config.GridStepX : config.GridStepY, option, scale, fwhm);
                return new AxisCentres(CeilDiv(length, gridStep), cellSize, cellSize / 2, 0, gridStep, linSpace: false);
            default:
                throw new ConfigValidationException("adjustGridOption", $"adjustGridOption has no value {option}");
        }
    }

    /// <summary>Length of <c>np.arange(c // 2, W + c // 2, step)</c>: ceil(W / step), 0 for W = 0.</summary>
    private static long CeilDiv(long length, long step) => (length + step - 1) / step;

    private static void RequirePositive(int pixels, string field, double value, AdjustGridOption option, bool scale, double? fwhm)
    {
        // The reference divides by zero here (spacing: an empty grid; size/none: an exception from np.arange).
        if (pixels < 1)
            throw new ConfigValidationException(field, FormattableString.Invariant(
                $"{field} = {value}{(scale ? $" × FWHM {fwhm}" : "")} rounds to {pixels} pixels; adjustGridOption {ConfigJson.EnumName(option.ToString())} needs at least 1 pixel — increase {field}"));
    }
}
