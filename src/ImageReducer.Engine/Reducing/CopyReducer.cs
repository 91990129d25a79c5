using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Reducing;

/// <summary><c>copy</c>: valid pixels of each result overwrite the output (later cells win); the output keeps the input's PSF.</summary>
/// <remarks>Mask rule and zero-count handling: see the remarks of the stitching reduction (spec §8).</remarks>
public sealed class CopyReducer(ReducerConfig config) : IReducer
{
    private readonly ReducerConfig config = config ?? throw new ArgumentNullException(nameof(config));

    /// <inheritdoc/>
    public ReduceOperation Operation => ReduceOperation.Copy;

    /// <inheritdoc/>
    public bool KeepsResults => false;

    /// <inheritdoc/>
    public IReduction Begin(Exposure input, EngineOptions options) => new Reduction(input, options, config);

    private sealed class Reduction(Exposure input, EngineOptions options, ReducerConfig config)
        : StitchingReduction(input, options, config, ReduceOperation.Copy)
    {
        protected override float StartValue => StitchRows.QuietNaN;
        protected override bool DividesByCount => false;
        protected override bool BuildsCoaddPsf => false;

        protected override void FoldRow(Span<float> outImage, Span<float> outVariance, Span<int> outMask, Span<int> count,
            ReadOnlySpan<float> image, ReadOnlySpan<float> variance, ReadOnlySpan<int> mask)
            => StitchRows.Overwrite(outImage, outVariance, outMask, count, image, variance, mask);
    }
}
