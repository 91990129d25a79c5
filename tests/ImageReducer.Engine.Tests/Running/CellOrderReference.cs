using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.PointSpread;
using ImageReducer.Engine.Reducing;
using ImageReducer.Engine.Running;
using ImageReducer.Engine.Gridding;

namespace ImageReducer.Engine.Tests.Running;

/// <summary>
/// The reference the fused band path is compared with: every result mapped first, then folded in
/// cell order by the stitching reduction (the classic path), and the bit-exact comparison of two reductions.
/// </summary>
internal static class CellOrderReference
{
    public static ReducerConfig Op(ReduceOperation op) => new() { ReduceOperation = op };

    public static ReduceResult Fold(Exposure input, Grid grid, IMapper mapper, ReduceOperation op)
    {
        var one = new EngineOptions { MaxDegreeOfParallelism = 1 };
        var results = new MapReduceRunner(mapper, Op(op), one).MapAll(input, grid);
        try
        {
            return Reducers.Create(Op(op)).Reduce(results, input, one);
        }
        finally
        {
            foreach (var r in results) if (r is ExposureResult e) e.SubExposure.Dispose();
        }
    }

    /// <summary>Same box, pixels (image, mask, variance bytes), mask planes, overlap statistics and output PSF.</summary>
    public static void AssertSame(ReduceResult expected, ReduceResult actual)
    {
        Assert.Equal(expected.Exposure!.Box, actual.Exposure!.Box);
        Assert.Equal(TestExposures.PlaneBytes(expected.Exposure), TestExposures.PlaneBytes(actual.Exposure));
        Assert.Equal(expected.Exposure.Mask.Planes.Planes, actual.Exposure.Mask.Planes.Planes);
        Assert.Equal(expected.Overlap, actual.Overlap);
        if (expected.Psf is CoaddPsf e)
        {
            var a = Assert.IsType<CoaddPsf>(actual.Psf);
            Assert.Equal(e.Components.Select(c => c.Box), a.Components.Select(c => c.Box));
        }
        else Assert.Same(expected.Exposure.Psf, actual.Exposure.Psf);
    }
}
