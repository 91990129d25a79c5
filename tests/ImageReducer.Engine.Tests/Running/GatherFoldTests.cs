using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.Reducing;
using ImageReducer.Engine.Running;
using ImageReducer.Engine.Gridding;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Engine.Tests.Running;

/// <summary>
/// The register gather of the fused band path (<c>GatherFold</c>) against the scratch fold of the
/// same bands and against the classic cell-order fold: pixels, overlap statistics and PSF must be
/// bit-identical for every operation, whatever the grid (overlaps of 1 to many pixels, cells that
/// are not multiples of the vector width, gaps), the image width (multiple of 8 or not, so aligned
/// streaming stores or not), the origin and the band/chunk cuts.
/// </summary>
public class GatherFoldTests
{
    private static MapReduceResult Fused(Exposure input, Grid grid, IMapper mapper, ReduceOperation op,
        bool gather, int workers = 1, int bandRows = BandPipeline.DefaultBandRows, int chunkWidth = BandStitching.DefaultChunkWidth)
        => new MapReduceRunner(mapper, CellOrderReference.Op(op), new EngineOptions { MaxDegreeOfParallelism = workers })
        { BandRows = bandRows, ChunkWidth = chunkWidth, Gather = gather }.Run(input, grid);

    private static ReduceResult CellOrderFold(Exposure input, Grid grid, IMapper mapper, ReduceOperation op)
        => CellOrderReference.Fold(input, grid, mapper, op);

    private static void AssertSame(ReduceResult expected, ReduceResult actual) => CellOrderReference.AssertSame(expected, actual);

    public static TheoryData<ReduceOperation, int, int, int, int, int> Grids()
    {
        var data = new TheoryData<ReduceOperation, int, int, int, int, int>();
        foreach (var op in new[] { ReduceOperation.Copy, ReduceOperation.Sum, ReduceOperation.Average })
        {
            // width, height, cell, step, border
            data.Add(op, 160, 96, 41, 40, 8);   // the benchmark's grid: one-pixel overlaps on vector boundaries
            data.Add(op, 157, 101, 21, 13, 4);  // wide overlaps, odd width (no streaming stores)
            data.Add(op, 200, 64, 11, 10, 3);   // many small cells
            data.Add(op, 96, 80, 16, 9, 2);     // step below the vector width: several results per lane
            data.Add(op, 121, 77, 30, 37, 5);   // step above the cell: gaps (zero-count pixels)
            data.Add(op, 64, 40, 64, 64, 0);    // one cell
            data.Add(op, 304, 48, 38, 37, 6);   // the shared columns fall in every lane: results covering only a vector's first or last lane
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Grids))]
    public void Gather_AnyGrid_BitIdenticalToScratchFoldAndCellOrderFold(ReduceOperation op, int width, int height, int cell, int step, int border)
    {
        using var input = TestExposures.Noise(width, height, seed: width * 7 + cell, x0: -3, y0: 11);
        var grid = TestGrids.Regular(input.Box, cell, step, border);
        var mapper = new SpikyMapper();
        var expected = CellOrderFold(input, grid, mapper, op);
        using var e = expected.Exposure!;
        var scratch = Fused(input, grid, mapper, op, gather: false).Reduced;
        using var s = scratch.Exposure!;
        var gathered = Fused(input, grid, mapper, op, gather: true).Reduced;
        using var g = gathered.Exposure!;
        AssertSame(expected, scratch);
        AssertSame(expected, gathered);
    }

    [Theory]
    [InlineData("copy")]
    [InlineData("sum")]
    [InlineData("average")]
    public void Gather_RowsOfCellsOfManyShapes_PlansReusedAndRemadeStayBitIdentical(string opName)
    {
        ReduceOperation op = ReduceOperation.Parse(opName);
        // The gather keeps the vector plans of the last few row shapes and reuses them for later rows of the same shape
        // (another band, other results). Here every row of cells is shifted by its own amount, six shapes cycling over
        // fifteen rows: more shapes than the cache keeps, so plans are both reused and evicted and made again; the shared
        // columns fall in varying lanes (the first lane among them, where a run's first vector gathers its neighbour's pixel).
        using var input = TestExposures.Noise(203, 600, seed: 41, x0: 5, y0: -2);
        var grid = Bricks(input.Box, cell: 41, step: 40, border: 8, shifts: [0, 7, 19, 26, 33, 12]);
        var mapper = new SpikyMapper();
        var expected = CellOrderFold(input, grid, mapper, op);
        using var e = expected.Exposure!;
        foreach (int bandRows in new[] { 1, 40, 64 })
        {
            var actual = Fused(input, grid, mapper, op, gather: true, workers: 1, bandRows: bandRows).Reduced;
            using var a = actual.Exposure!;
            AssertSame(expected, actual);
        }
    }

    /// <summary>Rows of <paramref name="cell"/>-pixel cells <paramref name="step"/> apart, row r shifted right by shifts[r % n] (its first cell starts at the left edge, clipped).</summary>
    private static Grid Bricks(Box bounds, int cell, int step, int border, int[] shifts)
    {
        var cells = new List<Box>();
        var expanded = new List<Box>();
        for (int r = 0, y = bounds.MinY; y <= bounds.MaxY; r++, y += step)
        {
            int shift = shifts[r % shifts.Length];
            for (int x = bounds.MinX + shift - step; x <= bounds.MaxX; x += step)
            {
                var box = new Box(x, y, cell, cell);
                Box b0 = box.Clip(bounds), b1 = box.Grow(border).Clip(bounds);
                if (b0.Area > 1 && b1.Area > 1) { cells.Add(b0); expanded.Add(b1); }
            }
        }
        return new Grid(cells, expanded);
    }

    [Theory]
    [InlineData("copy", 1, 7, 9)]
    [InlineData("sum", 2, 3, 8)]
    [InlineData("average", 3, 5, 13)]
    [InlineData("average", 2, 1, 4096)]
    [InlineData("copy", 2, 64, 17)]
    public void Gather_BandsAndChunksCuttingResults_BitIdentical(string opName, int workers, int bandRows, int chunkWidth)
    {
        ReduceOperation op = ReduceOperation.Parse(opName);
        // Chunks narrower than a vector fall back to the scratch fold chunk by chunk; the bytes do not change.
        using var input = TestExposures.Noise(147, 90, seed: 31, x0: 4, y0: -9);
        var grid = TestGrids.Regular(input.Box, cell: 19, step: 12, border: 3);
        var mapper = new SpikyMapper();
        var expected = CellOrderFold(input, grid, mapper, op);
        using var e = expected.Exposure!;
        var actual = Fused(input, grid, mapper, op, gather: true, workers, bandRows, chunkWidth).Reduced;
        using var a = actual.Exposure!;
        AssertSame(expected, actual);
    }

    [Theory]
    [InlineData("sum")]
    [InlineData("average")]
    [InlineData("copy")]
    public void Gather_NegativeZeros_KeepTheReferenceSign(string opName)
    {
        ReduceOperation op = ReduceOperation.Parse(opName);
        // sum/average start at +0, so a lone −0 becomes +0 (the reference's 0 + x); copy keeps −0.
        using var input = TestExposures.Constant(new Box(0, 0, 48, 24), -0f);
        var grid = TestGrids.Regular(input.Box, cell: 17, step: 16, border: 2);
        var mapper = new global::ImageReducer.Engine.Mapping.Mappers.IdentityMapper();
        var expected = CellOrderFold(input, grid, mapper, op);
        using var e = expected.Exposure!;
        var actual = Fused(input, grid, mapper, op, gather: true).Reduced;
        using var a = actual.Exposure!;
        AssertSame(expected, actual);
        int negativeZeros = actual.Exposure!.Image.ToArray().Count(v => BitConverter.SingleToInt32Bits(v) == unchecked((int)0x80000000));
        Assert.Equal(op == ReduceOperation.Copy ? 48 * 24 : 0, negativeZeros);
    }

    [Theory]
    [InlineData("average", 6, 5)]
    [InlineData("copy", 6, 5)]
    [InlineData("sum", 3, 2)]
    [InlineData("average", 13, 12)] // 13-px cells whose clipped edge cells are 6 px wide
    public void Gather_ResultsNarrowerThanAVector_ReadPixelByPixelAndStayBitIdentical(string opName, int cell, int step)
    {
        ReduceOperation op = ReduceOperation.Parse(opName);
        using var input = TestExposures.Noise(65, 40, seed: 33);
        var grid = TestGrids.Regular(input.Box, cell, step, border: 1);
        Assert.Contains(grid.Cells, b => b.Width < 8);
        var mapper = new SpikyMapper();
        var expected = CellOrderFold(input, grid, mapper, op);
        using var e = expected.Exposure!;
        var actual = Fused(input, grid, mapper, op, gather: true, bandRows: 8).Reduced;
        using var a = actual.Exposure!;
        AssertSame(expected, actual);
    }

    [Theory]
    [InlineData("copy")]
    [InlineData("sum")]
    [InlineData("average")]
    public void Gather_OnAnAvx2Machine_FoldsEveryChunkWithTheVectorPath(string opName)
    {
        ReduceOperation op = ReduceOperation.Parse(opName);
        // The bit-identity tests above would pass on a machine where the gather never ran (the scratch fold
        // compared with itself); this one fails there if the vector path did not take the chunks.
        using var input = TestExposures.Noise(160, 96, seed: 35);
        var grid = TestGrids.Regular(input.Box, cell: 41, step: 40, border: 8);
        var mapper = new SpikyMapper();
        var one = new EngineOptions { MaxDegreeOfParallelism = 1 };
        var results = new MapReduceRunner(mapper, CellOrderReference.Op(op), one).MapAll(input, grid);
        var subs = results.Select(r => ((ExposureResult)r).SubExposure).ToArray();
        try
        {
            var reducer = (StitchingReducer)Reducers.Create(CellOrderReference.Op(op));
            using BandStitching stitching = reducer.BeginBands(input, grid.ExpandedCells, bandRows: 16, chunkWidth: 64);
            for (int k = 0; k < stitching.BandCount; k++) stitching.FoldBand(k, subs);
            var expected = CellOrderReference.Fold(input, grid, mapper, op);
            using var e = expected.Exposure!;
            var actual = stitching.Complete([.. subs.Where(x => x.Psf is not null).Select(x => new CoaddPsfComponent(x.Psf!, x.Box, 1.0))]);
            using var a = actual.Exposure!;

            AssertSame(expected, actual);
            int chunks = stitching.BandCount * 3; // 160 columns in chunks of 64: 64, 64, 32
            if (Avx2.IsSupported && Vector256.IsHardwareAccelerated)
                Assert.Equal((chunks, 0), (stitching.GatheredChunks, stitching.ScratchChunks));
            else
                Assert.Equal((0, chunks), (stitching.GatheredChunks, stitching.ScratchChunks));
        }
        finally
        {
            foreach (var sub in subs) sub.Dispose();
        }
    }

    [Fact]
    public void Gather_Disabled_FoldsEveryChunkThroughTheScratchPlanes()
    {
        using var input = TestExposures.Noise(64, 32, seed: 36);
        var grid = TestGrids.Regular(input.Box, cell: 16, step: 16, border: 0);
        var results = new MapReduceRunner(new SpikyMapper(), CellOrderReference.Op(ReduceOperation.Sum), new EngineOptions { MaxDegreeOfParallelism = 1 })
            .MapAll(input, grid);
        var subs = results.Select(r => ((ExposureResult)r).SubExposure).ToArray();
        try
        {
            var reducer = (StitchingReducer)Reducers.Create(CellOrderReference.Op(ReduceOperation.Sum));
            using BandStitching stitching = reducer.BeginBands(input, grid.ExpandedCells, bandRows: 8, chunkWidth: 64, gather: false);
            for (int k = 0; k < stitching.BandCount; k++) stitching.FoldBand(k, subs);

            Assert.Equal((0, stitching.BandCount), (stitching.GatheredChunks, stitching.ScratchChunks));
        }
        finally
        {
            foreach (var sub in subs) sub.Dispose();
        }
    }

    [Fact]
    public void Gather_OutputPlanes_StartOnCacheLines()
    {
        using var input = TestExposures.Noise(64, 32, seed: 34);
        var grid = TestGrids.Regular(input.Box, cell: 16, step: 16, border: 0);
        using var output = Fused(input, grid, new SpikyMapper(), ReduceOperation.Average, gather: true).Reduced.Exposure!;
        Assert.Equal(0, Address(output.Image) % 64);
        Assert.Equal(0, Address(output.Variance) % 64);
        Assert.Equal(0, Address(output.Mask.Pixels) % 64);
    }

    private static unsafe long Address<T>(Image<T> image) where T : unmanaged
    {
        fixed (T* p = image.RowAt(0)) return (long)p;
    }

    /// <summary>Adds 0.25 to a clone of the cell and sprinkles NaN images, NaN variances, ±0, infinities and mask bits by position and cell.</summary>
    private sealed class SpikyMapper : IMapper
    {
        public MapResult Map(Exposure cell, Exposure expandedCell, MapContext context)
        {
            Exposure sub = cell.Clone();
            for (int y = sub.Box.MinY; y <= sub.Box.MaxY; y++)
                for (int x = sub.Box.MinX; x <= sub.Box.MaxX; x++)
                {
                    int h = (x * 73856093) ^ (y * 19349663) ^ (context.CellIndex * 83492791);
                    sub.Image[x, y] += 0.25f;
                    switch (h & 63)
                    {
                        case 0: sub.Image[x, y] = float.NaN; break;
                        case 1: sub.Variance[x, y] = float.NaN; break;
                        case 2: sub.Image[x, y] = -0f; break;
                        case 3: sub.Image[x, y] = float.PositiveInfinity; break;
                        case 4: sub.Variance[x, y] = 0f; sub.Image[x, y] = float.PositiveInfinity; break; // inf × 0: invalid
                    }
                    if ((h & 15) == 5) sub.Mask.Pixels[x, y] |= 1 << (h >> 8 & 7);
                }
            return new ExposureResult(sub);
        }
    }
}
