using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.Reducing;
using ImageReducer.Engine.Running;

namespace ImageReducer.Engine.Tests.Running;

/// <summary>
/// <see cref="MapReduceRunner.RunPart"/>: a band of the output built from a piece of the exposure
/// must equal the same rows of the whole run bit for bit (both fold the same float32 values in the
/// same cell order), and the bands' overlap statistics must merge into the whole run's exactly.
/// </summary>
public sealed class RunPartTests
{
    [Theory]
    [InlineData("copy", 1)]
    [InlineData("copy", 9)]
    [InlineData("sum", 4)]
    [InlineData("average", 1)]
    [InlineData("average", 9)]
    [InlineData("average", 100)]
    public void RunPart_BandsOfAnyHeight_EqualTheWholeRunsRows(string operationName, int bandHeight)
    {
        ReduceOperation operation = ReduceOperation.Parse(operationName);
        using Exposure input = TestExposures.Noise(37, 41, seed: 5, x0: 3, y0: -7);
        var grid = TestGrids.Regular(input.Box, cell: 9, step: 7, border: 3);
        var runner = new MapReduceRunner(new AddConstantMapper(1.5f, nanCorner: true), new ReducerConfig { ReduceOperation = operation });
        using Exposure whole = runner.Run(input, grid).Reduced.Exposure!;
        OverlapStatistics expected = runner.Run(input, grid).Reduced.Overlap!;

        var parts = new List<OverlapStatistics>();
        for (int minY = input.Box.MinY; minY <= input.Box.MaxY; minY += bandHeight)
        {
            Box band = Box.FromMinMax(input.Box.MinX, minY, input.Box.MaxX, Math.Min(input.Box.MaxY, minY + bandHeight - 1));
            var (cells, pieceBox) = TestGrids.PartFor(grid, band);
            using Exposure piece = input.Sub(pieceBox).Clone(); // a copy: the part must not depend on pixels outside its piece
            MapReduceResult part = runner.RunPart(piece, grid, new GridPart(cells, input.Box, band));
            using Exposure built = part.Reduced.Exposure!;

            Assert.Equal(band, built.Box);
            Assert.Equal(TestExposures.PlaneBytes(whole.Sub(band).Clone()), TestExposures.PlaneBytes(built));
            Assert.True(whole.Mask.Planes.SameAs(built.Mask.Planes));
            parts.Add(part.Reduced.Overlap!);
        }
        Assert.Equal(expected, OverlapStatistics.Merge(parts));
    }

    [Fact]
    public void RunPart_MapperSeesWholeGridIndexAndFullBox()
    {
        using Exposure input = TestExposures.Noise(30, 30, seed: 2);
        var grid = TestGrids.Regular(input.Box, cell: 10, step: 10, border: 2);
        var seen = new System.Collections.Concurrent.ConcurrentBag<(int Index, Box Full)>();
        var mapper = new RecordingMapper(seen);
        Box band = new(0, 10, 30, 10);
        int[] cells = TestGrids.PartFor(grid, band).Cells;

        new MapReduceRunner(mapper, new ReducerConfig { ReduceOperation = ReduceOperation.None })
            .RunPart(input.Sub(new Box(0, 0, 30, 30)), grid, new GridPart(cells, input.Box, band));

        Assert.Equal(cells.Order(), seen.Select(s => s.Index).Order());
        Assert.All(seen, s => Assert.Equal(input.Box, s.Full));
    }

    [Fact]
    public void RunPart_IndicesNotIncreasing_Throws()
    {
        using Exposure input = TestExposures.Noise(20, 20, seed: 1);
        var grid = TestGrids.Regular(input.Box, cell: 10, step: 10, border: 2);
        var runner = new MapReduceRunner(new AddConstantMapper(1f), new ReducerConfig());

        Assert.Throws<ArgumentException>(() => runner.RunPart(input, grid, new GridPart([1, 0], input.Box, input.Box)));
    }

    [Fact]
    public void OverlapStatistics_MergeOfPartsWithoutSums_Throws()
    {
        Assert.Throws<ArgumentException>(() => OverlapStatistics.Merge([new OverlapStatistics(1, 1, 1, 0, 0, 0)]));
    }

    private sealed class RecordingMapper(System.Collections.Concurrent.ConcurrentBag<(int, Box)> seen) : IMapper
    {
        public MapResult Map(Exposure cell, Exposure expandedCell, MapContext context)
        {
            seen.Add((context.CellIndex, context.FullBox));
            return new ValueResult(context.CellIndex);
        }
    }
}
