using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Reducing;

/// <summary><c>sum</c>: valid pixels are added in float32, in cell order; the output PSF is the CoaddPsf of the results.</summary>
/// <remarks>Mask rule and zero-count handling: see the remarks of the stitching reduction (spec §8).</remarks>
public sealed class SumReducer(ReducerConfig config) : IRegionReducer
{
    private readonly ReducerConfig config = config ?? throw new ArgumentNullException(nameof(config));

    /// <inheritdoc/>
    public ReduceOperation Operation => ReduceOperation.Sum;

    /// <inheritdoc/>
    public bool KeepsResults => false;

    /// <inheritdoc/>
    public IReduction Begin(Exposure input, EngineOptions options) => new Reduction(input, input?.Box ?? default, options, config, null);

    /// <inheritdoc/>
    public IReduction Begin(Exposure input, EngineOptions options, IReadOnlyList<Box> resultBoxes)
        => new Reduction(input, input?.Box ?? default, options, config, resultBoxes);

    /// <inheritdoc/>
    public IReduction Begin(Exposure input, Box region, EngineOptions options) => new Reduction(input, region, options, config, null);

    /// <inheritdoc/>
    public IReduction Begin(Exposure input, Box region, EngineOptions options, IReadOnlyList<Box> resultBoxes)
        => new Reduction(input, region, options, config, resultBoxes);

    private sealed class Reduction(Exposure input, Box region, EngineOptions options, ReducerConfig config, IReadOnlyList<Box>? resultBoxes)
        : StitchingReduction(input, region, options, config, ReduceOperation.Sum, resultBoxes)
    {
        protected override float StartValue => 0f;
        protected override bool DividesByCount => false;
        protected override bool BuildsCoaddPsf => true;

        protected override bool Overwrites => false;
    }
}
