using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Reducing;

/// <summary><c>copy</c>: valid pixels of each result overwrite the output (later cells win); the output keeps the input's PSF.</summary>
/// <remarks>Mask rule and zero-count handling: see the remarks of the stitching reduction (spec §8).</remarks>
public sealed class CopyReducer(ReducerConfig config) : StitchingReducer(config)
{
    /// <inheritdoc/>
    public override ReduceOperation Operation => ReduceOperation.Copy;

    private protected override StitchRule Rule => StitchRule.Copy;

    private protected override StitchingReduction Create(Exposure input, Box region, EngineOptions options, IReadOnlyList<Box>? resultBoxes)
        => new Reduction(input, region, options, Config, resultBoxes);

    private sealed class Reduction(Exposure input, Box region, EngineOptions options, ReducerConfig config, IReadOnlyList<Box>? resultBoxes)
        : StitchingReduction(input, region, options, config, ReduceOperation.Copy, resultBoxes)
    {
        protected override float StartValue => StitchRows.QuietNaN;
        protected override bool DividesByCount => false;
        protected override bool BuildsCoaddPsf => false;
        protected override bool Overwrites => true;
    }
}
