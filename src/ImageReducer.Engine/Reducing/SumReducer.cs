using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Reducing;

/// <summary><c>sum</c>: valid pixels are added in float32, in cell order; the output PSF is the CoaddPsf of the results.</summary>
/// <remarks>Mask rule and zero-count handling: see the remarks of the stitching reduction (spec §8).</remarks>
public sealed class SumReducer(ReducerConfig config) : IReducer
{
    private readonly ReducerConfig config = config ?? throw new ArgumentNullException(nameof(config));

    /// <inheritdoc/>
    public ReduceOperation Operation => ReduceOperation.Sum;

    /// <inheritdoc/>
    public bool KeepsResults => false;

    /// <inheritdoc/>
    public IReduction Begin(Exposure input, EngineOptions options) => new Reduction(input, options, config, null);

    /// <inheritdoc/>
    public IReduction Begin(Exposure input, EngineOptions options, IReadOnlyList<Box> resultBoxes) => new Reduction(input, options, config, resultBoxes);

    private sealed class Reduction(Exposure input, EngineOptions options, ReducerConfig config, IReadOnlyList<Box>? resultBoxes)
        : StitchingReduction(input, options, config, ReduceOperation.Sum, resultBoxes)
    {
        protected override float StartValue => 0f;
        protected override bool DividesByCount => false;
        protected override bool BuildsCoaddPsf => true;

        protected override bool Overwrites => false;
    }
}
