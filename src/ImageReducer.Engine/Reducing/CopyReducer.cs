using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Reducing;

/// <summary><c>copy</c>: valid pixels of each result overwrite the output (later cells win); the output keeps the input's PSF.</summary>
/// <remarks>Mask rule and zero-count handling: see the remarks of the stitching reduction (spec §8).</remarks>
public sealed class CopyReducer(ReducerConfig config) : IRegionReducer
{
    private readonly ReducerConfig config = config ?? throw new ArgumentNullException(nameof(config));

    /// <inheritdoc/>
    public ReduceOperation Operation => ReduceOperation.Copy;

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
        : StitchingReduction(input, region, options, config, ReduceOperation.Copy, resultBoxes)
    {
        protected override float StartValue => StitchRows.QuietNaN;
        protected override bool DividesByCount => false;
        protected override bool BuildsCoaddPsf => false;

        protected override bool Overwrites => true;
    }
}
