using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Reducing;

/// <summary>
/// A stitching reducer (<c>copy</c>, <c>sum</c>, <c>average</c>) that can build one region of the
/// output on its own — what a tile of a distributed run computes.
/// </summary>
public interface IRegionReducer : IReducer
{
    /// <summary>
    /// Starts a reduction whose output is only <paramref name="region"/> of the output of
    /// <see cref="IReducer.Begin(Exposure, EngineOptions)"/>: same pixels, bit for bit, when every result touching the region
    /// is added in the same order. Its <see cref="OverlapStatistics"/> cover the region and merge with
    /// <see cref="OverlapStatistics.Merge"/>.
    /// </summary>
    /// <param name="input">The mapped exposure, or a piece of it holding every result's box; read only.</param>
    /// <param name="region">The output region; non-empty and inside <paramref name="input"/>'s box.</param>
    /// <param name="options">Parallelism of the final pass.</param>
    IReduction Begin(Exposure input, Box region, EngineOptions options);

    /// <summary>
    /// Starts a region reduction as <see cref="Begin(Exposure, Box, EngineOptions)"/> whose results
    /// are expected inside <paramref name="resultBoxes"/> (one per added result, in order, e.g. the
    /// expanded cells of a part), so the count plane is as narrow as those boxes' largest overlap
    /// inside <paramref name="region"/> allows. A result outside its box is still reduced exactly.
    /// </summary>
    IReduction Begin(Exposure input, Box region, EngineOptions options, IReadOnlyList<Box> resultBoxes) => Begin(input, region, options);
}
