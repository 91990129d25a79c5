using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Reducing;

/// <summary>
/// The shared shape of <c>copy</c>, <c>sum</c> and <c>average</c>: every <c>Begin</c> overload
/// (whole exposure or one region, with or without the expected result boxes) starts one
/// stitching reduction; a subclass only says which operation it is.
/// </summary>
public abstract class StitchingReducer : IRegionReducer
{
    private protected StitchingReducer(ReducerConfig config) =>
        Config = config ?? throw new ArgumentNullException(nameof(config));

    /// <summary>The reducer configuration (bad mask planes).</summary>
    protected ReducerConfig Config { get; }

    /// <inheritdoc/>
    public abstract ReduceOperation Operation { get; }

    /// <inheritdoc/>
    public bool KeepsResults => false;

    /// <inheritdoc/>
    public IReduction Begin(Exposure input, EngineOptions options) => Create(input, input?.Box ?? default, options, null);

    /// <inheritdoc/>
    public IReduction Begin(Exposure input, EngineOptions options, IReadOnlyList<Box> resultBoxes)
        => Create(input, input?.Box ?? default, options, resultBoxes);

    /// <inheritdoc/>
    public IReduction Begin(Exposure input, Box region, EngineOptions options) => Create(input, region, options, null);

    /// <inheritdoc/>
    public IReduction Begin(Exposure input, Box region, EngineOptions options, IReadOnlyList<Box> resultBoxes)
        => Create(input, region, options, resultBoxes);

    /// <summary>How this operation folds and finishes pixels.</summary>
    private protected abstract StitchRule Rule { get; }

    /// <summary>True when the output's PSF is the CoaddPsf of the results (<c>sum</c>, <c>average</c>).</summary>
    internal bool BuildsCoaddPsf => Rule.BuildsCoaddPsf;

    /// <summary>
    /// Starts a whole-exposure reduction written band of rows by band of rows (the runner's fused
    /// path): bit-identical to <see cref="Begin(Exposure, EngineOptions, IReadOnlyList{Box})"/> given
    /// the same results, provided every result lies inside its box of <paramref name="resultBoxes"/>.
    /// </summary>
    internal BandStitching BeginBands(Exposure input, IReadOnlyList<Box> resultBoxes, int bandRows, int chunkWidth, bool gather = true)
        => new(input, Config, Rule, resultBoxes, bandRows, chunkWidth, gather);

    private protected abstract StitchingReduction Create(Exposure input, Box region, EngineOptions options, IReadOnlyList<Box>? resultBoxes);
}
