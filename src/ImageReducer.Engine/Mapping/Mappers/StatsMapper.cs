using System.ComponentModel;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping.Statistics;

namespace ImageReducer.Engine.Mapping.Mappers;

/// <summary>
/// <c>stats</c>: statistics of each cell's image plane as a <see cref="ValueResult"/> holding a
/// <see cref="CellStatistics"/> (mean, median, sigma-clipped mean/median/stddev, counts). Pixels that
/// are NaN or infinite, or carry one of <see cref="StatsMapperOptions.IgnoredMaskPlanes"/>, are ignored.
/// </summary>
[MapperName("stats", Description = "Mean, median, sigma-clipped mean/stddev and valid-pixel count of each cell.")]
public sealed class StatsMapper(StatsMapperOptions options) : ICellLocalMapper
{
    private readonly SigmaClippedStatistics statistics = new(
        (options ?? throw new ArgumentNullException(nameof(options))).ClipSigma, options.ClipIterations);

    /// <summary>The options this mapper was built with.</summary>
    public StatsMapperOptions Options { get; } = options;

    /// <inheritdoc/>
    public MapResult Map(Exposure cell, Exposure expandedCell, MapContext context)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return MapBox(cell, cell.Box);
    }

    /// <inheritdoc/>
    public MapResult MapBox(Exposure exposure, Box box)
    {
        ArgumentNullException.ThrowIfNull(exposure);
        int ignored = SigmaClippedStatistics.IgnoredBits(exposure.Mask.Planes, Options.IgnoredMaskPlanes);
        return new ValueResult(statistics.Compute(exposure.Image.Sub(box), exposure.Mask.Sub(box), ignored));
    }
}

/// <summary>Options of the <c>stats</c> mapper.</summary>
public sealed record StatsMapperOptions : IMapperOptions
{
    /// <summary>The options' JSON form (<see cref="MapperOptionsForm"/>).</summary>
    internal static MapperOptionsForm JsonForm { get; } = MapperOptionsForm.Of<StatsMapperOptions>(
        JsonFields.Strings<StatsMapperOptions>(nameof(IgnoredMaskPlanes), o => o.IgnoredMaskPlanes, (o, v) => o with { IgnoredMaskPlanes = v! }, acceptsNull: false),
        JsonFields.Number<StatsMapperOptions>(nameof(ClipSigma), o => o.ClipSigma, (o, v) => o with { ClipSigma = v }),
        JsonFields.Integer<StatsMapperOptions>(nameof(ClipIterations), o => o.ClipIterations, (o, v) => o with { ClipIterations = v }));

    /// <summary>The planes ignored by default: BAD, SAT, NO_DATA, CR.</summary>
    public static IReadOnlyList<string> DefaultIgnoredMaskPlanes { get; } = ["BAD", "SAT", "NO_DATA", "CR"];

    /// <summary>Pixels with any of these mask planes are ignored; planes the mask does not define are skipped.</summary>
    [Description("Pixels with any of these mask planes are ignored.")]
    public IReadOnlyList<string> IgnoredMaskPlanes { get; init; } = DefaultIgnoredMaskPlanes;

    /// <summary>Clipping half-width in standard deviations. Must be &gt; 0.</summary>
    [Description("Clipping half-width in standard deviations.")]
    public double ClipSigma { get; init; } = 3.0;

    /// <summary>Maximum number of clipping iterations. Must be &gt;= 1.</summary>
    [Description("Maximum number of clipping iterations.")]
    public int ClipIterations { get; init; } = 3;

    /// <inheritdoc/>
    public void Validate() => ClippingOptions.Validate(IgnoredMaskPlanes, ClipSigma, ClipIterations);

    public bool Equals(StatsMapperOptions? other) => other is not null && ClipSigma.Equals(other.ClipSigma) &&
        ClipIterations == other.ClipIterations && IgnoredMaskPlanes.SequenceEqual(other.IgnoredMaskPlanes);

    public override int GetHashCode() => HashCode.Combine(ClipSigma, ClipIterations, IgnoredMaskPlanes.Count);
}
