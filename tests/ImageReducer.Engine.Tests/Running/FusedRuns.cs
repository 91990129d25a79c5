using ImageReducer.Engine.Gridding;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.Reducing;
using ImageReducer.Engine.Running;

namespace ImageReducer.Engine.Tests.Running;

/// <summary>The fused band run of the section and strip tests: its runner, cut as a test asks, and one run of it in place or not.</summary>
internal static class FusedRuns
{
    /// <summary>A runner of <paramref name="mapper"/> → <paramref name="op"/> with small bands, sections and strips (0: the defaults).</summary>
    public static MapReduceRunner Runner(IMapper mapper, ReduceOperation op, int workers, int bandRows, int sectionTiles, int stripWidth = 0)
        => new(mapper, CellOrderReference.Op(op), new EngineOptions { MaxDegreeOfParallelism = workers })
        {
            BandRows = bandRows,
            SectionBands = sectionTiles,
            StripWidth = stripWidth,
        };

    /// <summary>
    /// Runs <paramref name="runner"/> over <paramref name="input"/>: into new planes, or in place on <paramref name="consumed"/> (a
    /// copy of the input the run may overwrite; the run must not need the input again).
    /// </summary>
    public static ReduceResult Run(MapReduceRunner runner, Exposure input, Exposure consumed, Grid grid, bool inPlace) => inPlace
        ? runner.RunInPlace(consumed, grid, returnSubImages: false, () => throw new Xunit.Sdk.XunitException("the run restarted")).Reduced
        : runner.Run(input, grid).Reduced;
}
