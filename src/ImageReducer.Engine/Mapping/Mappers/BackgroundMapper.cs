using System.ComponentModel;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping.Statistics;

namespace ImageReducer.Engine.Mapping.Mappers;

/// <summary>
/// <c>background</c>: estimates a local background on the <em>expanded</em> cell with sigma clipping
/// (so stars and masked pixels do not bias it) — a constant (<see cref="BackgroundMapperOptions.Order"/>
/// 0) or a plane (order 1) — and returns a new sub-exposure over the cell with that background
/// subtracted from the image; mask and variance are copied, PSF, WCS and metadata are the input's.
/// </summary>
/// <remarks>
/// Estimating on the expanded cell gives neighbouring cells overlapping samples, which keeps the
/// stitched background continuous. When the expanded cell has no valid pixel the background is NaN,
/// so the returned image is NaN and the reducer flags those pixels. The output uses pooled buffers;
/// the runner disposes it after reducing.
/// </remarks>
[MapperName("background", Description = "Subtracts a sigma-clipped local background estimated on the expanded cell.")]
public sealed class BackgroundMapper(BackgroundMapperOptions options) : IMapper
{
    private readonly SigmaClippedStatistics statistics = new(
        (options ?? throw new ArgumentNullException(nameof(options))).ClipSigma, options.ClipIterations);
    private readonly ClippedPlaneFit planeFit = new(options.ClipSigma, options.ClipIterations);

    /// <summary>The options this mapper was built with.</summary>
    public BackgroundMapperOptions Options { get; } = options;

    /// <inheritdoc/>
    public MapResult Map(Exposure cell, Exposure expandedCell, MapContext context)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(expandedCell);
        BackgroundPlane background = Estimate(expandedCell);
        Exposure output = PooledExposure.RentWithMaskAndVariance(cell);
        Box box = cell.Box;
        for (int j = 0; j < box.Height; j++)
        {
            int y = box.MinY + j;
            ReadOnlySpan<float> source = cell.Image.RowAt(j);
            Span<float> target = output.Image.RowAt(j);
            // The model is evaluated in float64 and rounded once, so a constant background subtracts
            // the same float32 value from every pixel.
            for (int i = 0; i < source.Length; i++) target[i] = source[i] - (float)background.At(box.MinX + i, y);
        }
        return new ExposureResult(output);
    }

    /// <summary>The background model of <paramref name="region"/> (a NaN level when no pixel is valid).</summary>
    public BackgroundPlane Estimate(Exposure region)
    {
        ArgumentNullException.ThrowIfNull(region);
        int ignored = SigmaClippedStatistics.IgnoredBits(region.Mask.Planes, Options.IgnoredMaskPlanes);
        CellStatistics s = statistics.Compute(region.Image, region.Mask, ignored);
        double level = Options.Statistic == BackgroundStatistic.ClippedMean ? s.ClippedMean : s.ClippedMedian;
        return Options.Order == 0
            ? BackgroundPlane.Constant(level)
            : planeFit.Fit(region.Image, region.Mask, ignored, level, s.ClippedStdDev);
    }
}

/// <summary>Which clipped statistic is the background level.</summary>
public enum BackgroundStatistic
{
    /// <summary><c>clippedMedian</c>: median of the pixels kept by clipping (the more robust to faint sources).</summary>
    ClippedMedian,
    /// <summary><c>clippedMean</c>: mean of the pixels kept by clipping (afw's <c>MEANCLIP</c>; lower noise).</summary>
    ClippedMean,
}

/// <summary>Options of the <c>background</c> mapper.</summary>
public sealed record BackgroundMapperOptions : IMapperOptions
{
    /// <summary>The options' JSON form (<see cref="MapperOptionsForm"/>).</summary>
    internal static MapperOptionsForm JsonForm { get; } = MapperOptionsForm.Of<BackgroundMapperOptions>(
        JsonFields.Choice<BackgroundMapperOptions, BackgroundStatistic>(nameof(Statistic), o => o.Statistic, (o, v) => o with { Statistic = v }),
        JsonFields.Integer<BackgroundMapperOptions>(nameof(Order), o => o.Order, (o, v) => o with { Order = v }),
        JsonFields.Strings<BackgroundMapperOptions>(nameof(IgnoredMaskPlanes), o => o.IgnoredMaskPlanes, (o, v) => o with { IgnoredMaskPlanes = v! }, acceptsNull: false),
        JsonFields.Number<BackgroundMapperOptions>(nameof(ClipSigma), o => o.ClipSigma, (o, v) => o with { ClipSigma = v }),
        JsonFields.Integer<BackgroundMapperOptions>(nameof(ClipIterations), o => o.ClipIterations, (o, v) => o with { ClipIterations = v }));

    /// <summary>The statistic used as the background level; default <c>clippedMedian</c>.</summary>
    [Description("Background level: clippedMedian or clippedMean.")]
    public BackgroundStatistic Statistic { get; init; } = BackgroundStatistic.ClippedMedian;

    /// <summary>Polynomial order of the background: 0 (constant) or 1 (plane fitted with clipping); default 0.</summary>
    [Description("Background model: 0 = constant, 1 = plane.")]
    public int Order { get; init; }

    /// <summary>Pixels with any of these mask planes do not enter the estimate; planes the mask does not define are skipped.</summary>
    [Description("Pixels with any of these mask planes do not enter the estimate.")]
    public IReadOnlyList<string> IgnoredMaskPlanes { get; init; } = StatsMapperOptions.DefaultIgnoredMaskPlanes;

    /// <summary>Clipping half-width in standard deviations. Must be &gt; 0.</summary>
    [Description("Clipping half-width in standard deviations.")]
    public double ClipSigma { get; init; } = 3.0;

    /// <summary>Maximum number of clipping iterations. Must be &gt;= 1.</summary>
    [Description("Maximum number of clipping iterations.")]
    public int ClipIterations { get; init; } = 3;

    /// <inheritdoc/>
    public void Validate()
    {
        ConfigGuard.Defined(Statistic, "mapper.statistic");
        if (Order is not (0 or 1))
            throw new ConfigValidationException("mapper.order", $"mapper.order must be 0 (constant) or 1 (plane), got {Order}");
        ClippingOptions.Validate(IgnoredMaskPlanes, ClipSigma, ClipIterations);
    }

    public bool Equals(BackgroundMapperOptions? other) => other is not null && Statistic == other.Statistic && Order == other.Order &&
        ClipSigma.Equals(other.ClipSigma) && ClipIterations == other.ClipIterations &&
        IgnoredMaskPlanes.SequenceEqual(other.IgnoredMaskPlanes);

    public override int GetHashCode() => HashCode.Combine(Statistic, Order, ClipSigma, ClipIterations, IgnoredMaskPlanes.Count);
}
