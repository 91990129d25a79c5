using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Reducing;

/// <summary><c>average</c>: valid pixels are added in float32, in cell order, then divided by their count (float64 division written back to float32, as the reference); zero-count pixels become NaN. The output PSF is the CoaddPsf of the results.</summary>
/// <remarks>Mask rule and zero-count handling: see the remarks of the stitching reduction (spec §8).</remarks>
public sealed class AverageReducer(ReducerConfig config) : StitchingReducer(config)
{
    /// <inheritdoc/>
    public override ReduceOperation Operation => ReduceOperation.Average;

    private protected override StitchRule Rule => StitchRule.Average;

    private protected override StitchingReduction Create(Exposure input, Box region, EngineOptions options, IReadOnlyList<Box>? resultBoxes)
        => new Reduction(input, region, options, Config, resultBoxes);

    private sealed class Reduction(Exposure input, Box region, EngineOptions options, ReducerConfig config, IReadOnlyList<Box>? resultBoxes)
        : StitchingReduction(input, region, options, config, ReduceOperation.Average, resultBoxes)
    {
        protected override float StartValue => 0f;
        protected override bool DividesByCount => true;
        protected override bool BuildsCoaddPsf => true;
        protected override bool Overwrites => false;
    }
}
