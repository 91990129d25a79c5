using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Reducing;

/// <summary>
/// <c>copy</c>, <c>sum</c> and <c>average</c>: one reducer that stitches the results into an exposure by its
/// <see cref="StitchRule"/> (see there for each operation's rule). Every <c>Begin</c> overload (whole exposure or
/// one region, with or without the expected result boxes) starts one stitching reduction.
/// </summary>
/// <remarks>Mask rule and zero-count handling: see the remarks of the stitching reduction (spec §8).</remarks>
public sealed class StitchingReducer : IRegionReducer
{
    private readonly ReducerConfig config;
    private readonly StitchRule rule;

    /// <summary>The reducer of <paramref name="config"/>'s operation (<c>copy</c>, <c>sum</c> or <c>average</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The operation does not stitch.</exception>
    public StitchingReducer(ReducerConfig config)
    {
        this.config = config ?? throw new ArgumentNullException(nameof(config));
        rule = config.ReduceOperation?.StitchRule
            ?? throw new ArgumentOutOfRangeException(nameof(config), config.ReduceOperation, "Not a stitching reduce operation.");
    }

    /// <inheritdoc/>
    public ReduceOperation Operation => config.ReduceOperation;

    /// <inheritdoc/>
    public OutputKind Output => OutputKind.Exposure;

    /// <inheritdoc/>
    public PsfRule PsfRule => rule.BuildsCoaddPsf ? PsfRule.CoaddOfResults : PsfRule.Input;

    /// <inheritdoc/>
    public string OutputSuffix => ".fits";

    /// <inheritdoc/>
    public bool ReportsOverlap => rule.DividesByCount;

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

    /// <summary>True when the output's PSF is the CoaddPsf of the results (<c>sum</c>, <c>average</c>).</summary>
    internal bool BuildsCoaddPsf => rule.BuildsCoaddPsf;

    /// <summary>
    /// Starts a whole-exposure reduction written band of rows by band of rows (the runner's fused
    /// path): bit-identical to <see cref="Begin(Exposure, EngineOptions, IReadOnlyList{Box})"/> given
    /// the same results, provided every result lies inside its box of <paramref name="resultBoxes"/>.
    /// </summary>
    internal BandStitching BeginBands(Exposure input, IReadOnlyList<Box> resultBoxes, int bandRows, int chunkWidth, bool gather = true, bool inPlace = false)
        => new(input, config, rule, resultBoxes, bandRows, chunkWidth, gather, inPlace);

    private StitchingReduction Create(Exposure input, Box region, EngineOptions options, IReadOnlyList<Box>? resultBoxes)
        => new(input, region, options, config, rule, resultBoxes);
}

/// <summary>The stitching operations, each declared with its rule (a new one is one more declaration with its rule).</summary>
public sealed partial class ReduceOperation
{
    /// <summary><c>copy</c>: valid pixels of each result overwrite the output (later cells win); the output keeps the input's PSF.</summary>
    public static ReduceOperation Copy { get; } = Stitching("copy", new(StartValue: StitchRows.QuietNaN, DividesByCount: false, BuildsCoaddPsf: false, Overwrites: true));

    /// <summary><c>sum</c>: valid pixels are added in float32, in cell order; the output PSF is the CoaddPsf of the results.</summary>
    public static ReduceOperation Sum { get; } = Stitching("sum", new(StartValue: 0f, DividesByCount: false, BuildsCoaddPsf: true, Overwrites: false));

    /// <summary>
    /// <c>average</c>: valid pixels are added in float32, in cell order, then divided by their count (float64 division
    /// written back to float32, as the reference); zero-count pixels become NaN. The output PSF is the CoaddPsf of the results.
    /// </summary>
    public static ReduceOperation Average { get; } = Stitching("average", new(StartValue: 0f, DividesByCount: true, BuildsCoaddPsf: true, Overwrites: false));
}
