using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Reducing;

/// <summary>
/// One reduce operation (<c>none</c>, <c>copy</c>, <c>sum</c>, <c>average</c>, <c>coaddPsf</c>).
/// A reducer is an immutable definition; <see cref="Begin(Exposure, EngineOptions)"/> starts one reduction.
/// </summary>
public interface IReducer
{
    /// <summary>The operation this reducer implements.</summary>
    ReduceOperation Operation { get; }

    /// <summary>What the reduction writes: a stitched exposure, a PSF, or the per-cell results.</summary>
    OutputKind Output { get; }

    /// <summary>Where the output's PSF comes from.</summary>
    PsfRule PsfRule { get; }

    /// <summary>
    /// The ending of the output's default file name after the input's stem: <c>.fits</c> (an exposure),
    /// <c>.psf.fits</c> (a PSF), <c>.results.json</c> (per-cell results).
    /// </summary>
    string OutputSuffix { get; }

    /// <summary>
    /// True when a run's metadata reports the contribution counts per pixel (<see cref="OverlapStatistics"/>): for
    /// <c>average</c>, whose counts are its divisors, as the reference reports them.
    /// </summary>
    bool ReportsOverlap { get; }

    /// <summary>
    /// True when the reduction keeps the mapper results themselves (<c>none</c>); otherwise a caller
    /// may dispose each <see cref="Mapping.ExposureResult"/> once it has been added.
    /// </summary>
    bool KeepsResults { get; }

    /// <summary>Starts reducing results of cells of <paramref name="input"/>.</summary>
    /// <param name="input">The mapped exposure; read only, never cloned.</param>
    /// <param name="options">Parallelism of the final whole-image pass.</param>
    IReduction Begin(Exposure input, EngineOptions options);

    /// <summary>
    /// Starts reducing results of cells of <paramref name="input"/> whose result boxes are expected
    /// inside <paramref name="resultBoxes"/> (one per cell, e.g. the expanded cells), so work
    /// buffers can be sized to the grid (the per-pixel count plane is as narrow as the boxes'
    /// largest overlap allows). A result outside its box is still reduced exactly, only with more memory.
    /// </summary>
    IReduction Begin(Exposure input, EngineOptions options, IReadOnlyList<Box> resultBoxes) => Begin(input, options);
}
