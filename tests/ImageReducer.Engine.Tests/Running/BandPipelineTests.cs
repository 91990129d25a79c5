using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.PointSpread;
using ImageReducer.Engine.Reducing;
using ImageReducer.Engine.Running;
using ImageReducer.Engine.Gridding;

namespace ImageReducer.Engine.Tests.Running;

/// <summary>
/// The fused band path of <see cref="MapReduceRunner.Run"/> (copy/sum/average) against the
/// cell-order fold of the same results (<see cref="Reducers.Reduce"/> over <see cref="MapReduceRunner.MapAll"/>):
/// the pixels, overlap statistics and PSF must be bit-identical (the contract: only the memory
/// order of the work changes, never a pixel's accumulation order), for any band and chunk size,
/// including sizes that cut every result into pieces.
/// </summary>
public class BandPipelineTests
{
    private static ReducerConfig Op(ReduceOperation op) => CellOrderReference.Op(op);

    private static MapReduceRunner Runner(IMapper mapper, ReduceOperation op, int workers, int bandRows = BandPipeline.DefaultBandRows,
        int chunkWidth = BandStitching.DefaultChunkWidth)
        => new(mapper, Op(op), new EngineOptions { MaxDegreeOfParallelism = workers }) { BandRows = bandRows, ChunkWidth = chunkWidth };

    private static ReduceResult CellOrderFold(Exposure input, Grid grid, IMapper mapper, ReduceOperation op)
        => CellOrderReference.Fold(input, grid, mapper, op);

    private static void AssertSame(ReduceResult expected, ReduceResult actual) => CellOrderReference.AssertSame(expected, actual);

    [Theory]
    [InlineData("copy", 1, 32, 1024)]
    [InlineData("sum", 1, 32, 1024)]
    [InlineData("average", 1, 32, 1024)]
    [InlineData("copy", 1, 1, 7)]
    [InlineData("sum", 2, 3, 5)]
    [InlineData("average", 1, 7, 16)]
    [InlineData("average", 3, 5, 33)]
    [InlineData("average", 2, 1000, 1000)]
    [InlineData("copy", 4, 13, 8)]
    public void Fused_AnyBandAndChunk_BitIdenticalToCellOrderFold(string opName, int workers, int bandRows, int chunkWidth)
    {
        ReduceOperation op = ReduceOperation.Parse(opName);
        using var input = TestExposures.Noise(157, 131, seed: 21, x0: 5, y0: -7);
        var grid = TestGrids.Regular(input.Box, cell: 21, step: 13, border: 4);
        var mapper = new MarkingMapper(0.375f);
        var expected = CellOrderFold(input, grid, mapper, op);
        using var e = expected.Exposure!;
        var actual = Runner(mapper, op, workers, bandRows, chunkWidth).Run(input, grid).Reduced;
        using var a = actual.Exposure!;
        AssertSame(expected, actual);
    }

    [Theory]
    [InlineData("copy")]
    [InlineData("average")]
    public void Fused_GapsAndIrregularCells_BitIdenticalToCellOrderFold(string opName)
    {
        ReduceOperation op = ReduceOperation.Parse(opName);
        // Explicit cells out of row order, overlapping unevenly and leaving uncovered pixels (zero counts).
        using var input = TestExposures.Noise(60, 50, seed: 22);
        var cells = new[] { new Box(30, 30, 15, 12), new Box(2, 3, 10, 10), new Box(8, 8, 10, 10), new Box(0, 0, 60, 4), new Box(9, 9, 3, 30) };
        var grid = new Grid(cells, cells.Select(c => c.Grow(2).Clip(input.Box)).ToArray());
        var mapper = new MarkingMapper(-2f);
        var expected = CellOrderFold(input, grid, mapper, op);
        using var e = expected.Exposure!;
        var actual = Runner(mapper, op, workers: 2, bandRows: 4, chunkWidth: 9).Run(input, grid).Reduced;
        using var a = actual.Exposure!;
        AssertSame(expected, actual);
        Assert.True(actual.Overlap!.ZeroCountPixels > 0);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Fused_ResultOutsideItsExpandedCell_FallsBackAndStaysBitIdentical(int workers)
    {
        // A plug-in breaking the promise: cell 4's result is wider than its expanded cell. The run
        // restarts on the cell-order fold (so some cells are mapped twice) and the bytes do not change.
        using var input = TestExposures.Noise(90, 70, seed: 23);
        var grid = TestGrids.Regular(input.Box, cell: 15, step: 10, border: 2);
        var mapper = new OutsideMapper(input, outsideCell: 4);
        var expected = CellOrderFold(input, grid, mapper, ReduceOperation.Average);
        using var e = expected.Exposure!;
        mapper.Calls = 0;
        var progress = new RecordingProgress();
        var actual = Runner(mapper, ReduceOperation.Average, workers, bandRows: 8).Run(input, grid, progress: progress).Reduced;
        using var a = actual.Exposure!;
        AssertSame(expected, actual);
        Assert.True(mapper.Calls > grid.Count, $"{mapper.Calls} map calls for {grid.Count} cells: the fallback did not run");
        var reports = progress.Reports;
        for (int k = 1; k < reports.Count; k++)
            Assert.True(reports[k].Phase > reports[k - 1].Phase || reports[k].CellsDone >= reports[k - 1].CellsDone,
                $"report {k} went back: {reports[k - 1]} then {reports[k]}");
        Assert.Equal(new MapReduceProgress(MapReducePhase.Done, grid.Count, grid.Count), reports[^1]);
    }

    [Fact]
    public void Fused_ResultWithoutPsfAmongOthers_ReportsTheFirstDifferingCell()
    {
        using var input = TestExposures.Noise(60, 60, seed: 24);
        var grid = TestGrids.Regular(input.Box, cell: 12, step: 10, border: 2);
        var e = Assert.Throws<ReduceException>(() => Runner(new NoPsfMapper(missingFrom: 9), ReduceOperation.Sum, workers: 2, bandRows: 4).Run(input, grid));
        Assert.Equal(9, e.CellIndex);
        Assert.Contains("has no PSF", e.Message);
    }

    [Fact]
    public void Fused_OneWorker_KeepsAboutTwoGridRowsOfResultsAlive()
    {
        // 20 × 16 cells; results are released once the last band their box touches is folded.
        using var input = TestExposures.Noise(200, 160, seed: 25);
        var grid = TestGrids.Regular(input.Box, cell: 11, step: 10, border: 3);
        var mapper = new LiveCountingMapper();
        using var output = Runner(mapper, ReduceOperation.Average, workers: 1, bandRows: 4).Run(input, grid).Reduced.Exposure!;
        int cellsPerGridRow = 20;
        Assert.True(mapper.MaxAlive <= 2 * cellsPerGridRow + 2, $"{mapper.MaxAlive} results alive at once");
        Assert.True(mapper.MaxAlive >= cellsPerGridRow, $"{mapper.MaxAlive} results alive at once: a band needs a whole grid row");
        Assert.Equal(0, mapper.Alive);
    }

    /// <summary>Adds an amount to a clone of the cell, NaNs a few image or variance pixels and sets mask bits on others (by position), so the mask rule and zero counts are exercised.</summary>
    private sealed class MarkingMapper(float amount) : IMapper
    {
        public MapResult Map(Exposure cell, Exposure expandedCell, MapContext context)
        {
            Exposure sub = cell.Clone();
            for (int y = sub.Box.MinY; y <= sub.Box.MaxY; y++)
                for (int x = sub.Box.MinX; x <= sub.Box.MaxX; x++)
                {
                    int h = (x * 73856093) ^ (y * 19349663) ^ (context.CellIndex * 83492791);
                    sub.Image[x, y] += amount;
                    if ((h & 31) == 0) sub.Image[x, y] = float.NaN;
                    else if ((h & 31) == 1) sub.Variance[x, y] = float.NaN;
                    if ((h & 15) == 2) sub.Mask.Pixels[x, y] |= 1 << (h >> 8 & 7);
                }
            return new ExposureResult(sub);
        }
    }

    private sealed class NoPsfMapper(int missingFrom) : IMapper
    {
        public MapResult Map(Exposure cell, Exposure expandedCell, MapContext context)
        {
            Exposure sub = cell.Clone();
            if (context.CellIndex >= missingFrom) sub.Psf = null;
            return new ExposureResult(sub);
        }
    }

    /// <summary>Counts results created and not yet disposed (single worker: Map is never concurrent).</summary>
    private sealed class LiveCountingMapper : IMapper
    {
        private readonly List<Exposure> live = [];
        public int MaxAlive { get; private set; }
        public int Alive => Sweep();

        private int Sweep()
        {
            live.RemoveAll(e =>
            {
                try { _ = e.Image.RowAt(0); return false; }
                catch (ObjectDisposedException) { return true; }
            });
            return live.Count;
        }

        public MapResult Map(Exposure cell, Exposure expandedCell, MapContext context)
        {
            var image = Image<float>.Rent(cell.Box);
            image.CopyFrom(cell.Image);
            var e = new Exposure(new MaskedImage(image, cell.Mask.Sub(cell.Box), cell.Variance.View()), cell.Psf, cell.Wcs, cell.Metadata);
            live.Add(e);
            MaxAlive = Math.Max(MaxAlive, Sweep());
            return new ExposureResult(e);
        }
    }
}
