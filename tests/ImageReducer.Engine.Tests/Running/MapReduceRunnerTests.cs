using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.PointSpread;
using ImageReducer.Engine.Reducing;
using ImageReducer.Engine.Running;
using ImageReducer.Engine.Gridding;

namespace ImageReducer.Engine.Tests.Running;

public class MapReduceRunnerTests
{
    private static ReducerConfig Op(ReduceOperation op) => new() { ReduceOperation = op };

    private static MapReduceResult Run(Exposure input, Grid grid, IMapper mapper, ReduceOperation op, int workers = 2, bool returnSubImages = false)
        => new MapReduceRunner(mapper, Op(op), new EngineOptions { MaxDegreeOfParallelism = workers }).Run(input, grid, returnSubImages);

    [Theory]
    [InlineData("copy")]
    [InlineData("sum")]
    [InlineData("average")]
    public void Stitch_WithoutOverlaps_GivesInputPlusAmount(string opName)
    {
        ReduceOperation op = ReduceOperation.Parse(opName);
        using var input = TestExposures.Noise(64, 48, seed: 1, x0: 5, y0: 7);
        var grid = TestGrids.Regular(input.Box, cell: 16, step: 16, border: 4); // cells tile the image exactly
        using var output = Run(input, grid, new AddConstantMapper(5f), op).Reduced.Exposure!;
        // Bit-exact: every pixel has one contribution, p + 5f computed in float32 by the mapper,
        // and the average divides by 1 in float64, which is exact.
        for (int y = input.Box.MinY; y <= input.Box.MaxY; y++)
            for (int x = input.Box.MinX; x <= input.Box.MaxX; x++)
            {
                Assert.Equal(input.Image[x, y] + 5f, output.Image[x, y]);
                Assert.Equal(input.Variance[x, y], output.Variance[x, y]);
                Assert.Equal(input.Mask.Pixels[x, y], output.Mask.Pixels[x, y]);
            }
    }

    [Fact]
    public void Average_WithOverlappingCells_EqualsInputPlusAmount()
    {
        using var input = TestExposures.Noise(70, 50, seed: 2);
        var grid = TestGrids.Regular(input.Box, cell: 11, step: 8, border: 3);
        var result = Run(input, grid, new AddConstantMapper(10f), ReduceOperation.Average).Reduced;
        using var output = result.Exposure!;
        // Up to four equal contributions are summed in float32 and divided in float64: the mean of
        // k copies of v is v to within 2 ulp, hence rtol 1e-6 (the LSST test uses 1e-7 in float64 terms).
        for (int y = 0; y < 50; y++)
            for (int x = 0; x < 70; x++)
                Assert.Equal(input.Image[x, y] + 10f, output.Image[x, y], (double)Math.Abs(input.Image[x, y] + 10f) * 1e-6);
        Assert.Equal(4, result.Overlap!.MaxCount);
        Assert.Equal(1, result.Overlap.MinCount);
        Assert.Equal(0, result.Overlap.ZeroCountPixels);
    }

    [Fact]
    public void AverageAndCopy_OnNoise_AgreeToRounding()
    {
        using var input = TestExposures.Noise(60, 60, seed: 3);
        var grid = TestGrids.Regular(input.Box, cell: 13, step: 9, border: 2);
        using var avg = Run(input, grid, new AddConstantMapper(1f), ReduceOperation.Average).Reduced.Exposure!;
        using var copy = Run(input, grid, new AddConstantMapper(1f), ReduceOperation.Copy).Reduced.Exposure!;
        // Same reason as above: averaging identical contributions may move the last bits only.
        for (int y = 0; y < 60; y++)
            for (int x = 0; x < 60; x++)
                Assert.Equal(copy.Image[x, y], avg.Image[x, y], (double)Math.Abs(copy.Image[x, y]) * 1e-6 + 1e-7);
    }

    [Fact]
    public void Average_NaNCorners_AreNotCountedAndZeroCountPixelsAreFlagged()
    {
        using var input = TestExposures.Noise(40, 40, seed: 4);
        var grid = TestGrids.Regular(input.Box, cell: 10, step: 10, border: 2); // no overlaps: each corner has only the NaN
        var result = Run(input, grid, new AddConstantMapper(1f, nanCorner: true), ReduceOperation.Average).Reduced;
        using var output = result.Exposure!;
        int invalid = output.Mask.Planes.GetBitMask("INVALID_MAPREDUCE");
        int bad = output.Mask.GetPlaneBitMask(ReducerConfig.DefaultBadMaskPlanes);
        Assert.Equal(16, result.Overlap!.ZeroCountPixels);
        Assert.Equal(16 * 100.0 / 1600, result.Overlap.ZeroCountPercent);
        foreach (var cell in grid.Cells)
        {
            Assert.True(float.IsNaN(output.Image[cell.MinX, cell.MinY]));
            Assert.Equal(bad, output.Mask.Pixels[cell.MinX, cell.MinY] & bad);
            Assert.Equal(0, output.Mask.Pixels[cell.MinX + 1, cell.MinY] & invalid);
        }
    }

    [Fact]
    public void Average_NaNCornersWithOverlaps_CountsOnlyValidContributions()
    {
        using var input = TestExposures.Constant(new Box(0, 0, 30, 30), 2f);
        var grid = TestGrids.Regular(input.Box, cell: 10, step: 5, border: 1);
        var result = Run(input, grid, new NaNCornerMapper(), ReduceOperation.Average).Reduced;
        using var output = result.Exposure!;
        // (5,5) is the corner of the cell at (5,5) but also covered by three other cells.
        Assert.Equal(2f, output.Image[5, 5]);
        Assert.Equal(0, output.Mask.Pixels[5, 5] & output.Mask.Planes.GetBitMask("INVALID_MAPREDUCE"));
        Assert.True(float.IsNaN(output.Image[0, 0]));
        Assert.NotEqual(0, output.Mask.Pixels[0, 0] & output.Mask.Planes.GetBitMask("INVALID_MAPREDUCE"));
    }

    [Fact]
    public void None_WithMeanMapper_ReturnsOneMeanPerCellInOrder()
    {
        using var input = TestExposures.Noise(40, 30, seed: 5);
        var grid = TestGrids.Regular(input.Box, cell: 10, step: 10, border: 3);
        var results = Run(input, grid, new MeanMapper(), ReduceOperation.None, workers: 3).Reduced.Results!;
        Assert.Equal(grid.Count, results.Count);
        for (int i = 0; i < grid.Count; i++)
            Assert.Equal(MeanMapper.Mean(input.Image.Sub(grid.Cells[i])), (double)((ValueResult)results[i]).Value!);
    }

    [Theory]
    [InlineData("copy")]
    [InlineData("sum")]
    [InlineData("average")]
    public void Stitch_WithValueMapper_ThrowsTypeErrorSuggestingNone(string opName)
    {
        ReduceOperation op = ReduceOperation.Parse(opName);
        using var input = TestExposures.Noise(20, 20, seed: 6);
        var grid = TestGrids.Regular(input.Box, cell: 10, step: 10, border: 3);
        var e = Assert.Throws<ReduceException>(() => Run(input, grid, new MeanMapper(), op));
        Assert.Equal(0, e.CellIndex);
        Assert.Contains("reduceOperation: none", e.Message);
    }

    [Fact]
    public void Run_MismatchedBoxLists_Throws()
    {
        using var input = TestExposures.Noise(20, 20, seed: 6);
        var grid = TestGrids.Regular(input.Box, cell: 10, step: 10, border: 3);
        var broken = new Grid(grid.Cells, grid.ExpandedCells.Skip(1).ToArray());
        var e = Assert.Throws<ReduceException>(() => Run(input, broken, new AddConstantMapper(1f), ReduceOperation.Average));
        Assert.Contains("different lengths", e.Message);
    }

    [Fact]
    public void Run_CellOutsideExposure_ThrowsNamingTheCell()
    {
        using var input = TestExposures.Noise(20, 20, seed: 6);
        var grid = new Grid([new Box(0, 0, 10, 10), new Box(15, 15, 10, 10)], [new Box(0, 0, 12, 12), new Box(13, 13, 7, 7)]);
        var e = Assert.Throws<ReduceException>(() => Run(input, grid, new AddConstantMapper(1f), ReduceOperation.Average));
        Assert.Equal(1, e.CellIndex);
    }

    [Fact]
    public void Average_ExplicitBoxes_CoveredPixelsShiftedOthersInvalid()
    {
        using var input = TestExposures.Noise(50, 50, seed: 7);
        // Like the LSST centroid test: a few explicit, partly overlapping cells that leave gaps.
        var cells = new[] { new Box(2, 3, 10, 10), new Box(8, 8, 10, 10), new Box(30, 30, 15, 12) };
        var grid = new Grid(cells, cells.Select(c => c.Grow(2).Clip(input.Box)).ToArray());
        var result = Run(input, grid, new AddConstantMapper(3f), ReduceOperation.Average).Reduced;
        using var output = result.Exposure!;
        int invalid = output.Mask.Planes.GetBitMask("INVALID_MAPREDUCE");
        for (int y = 0; y < 50; y++)
            for (int x = 0; x < 50; x++)
            {
                bool covered = cells.Any(c => c.Contains(x, y));
                Assert.Equal(covered, !float.IsNaN(output.Image[x, y]));
                Assert.Equal(covered, (output.Mask.Pixels[x, y] & invalid) == 0);
                if (covered) Assert.Equal(input.Image[x, y] + 3f, output.Image[x, y], (double)Math.Abs(input.Image[x, y] + 3f) * 1e-6);
            }
        Assert.Equal(100 + 100 - 20 + 180, 2500 - result.Overlap!.ZeroCountPixels); // A∩B is 4×5 pixels
    }

    [Theory]
    [InlineData("copy")]
    [InlineData("sum")]
    [InlineData("average")]
    public void Stitch_OutputIsBitIdentical_WhateverTheParallelismAndRun(string opName)
    {
        ReduceOperation op = ReduceOperation.Parse(opName);
        using var input = TestExposures.Noise(257, 193, seed: 8, x0: 3, y0: -4);
        var grid = TestGrids.Regular(input.Box, cell: 21, step: 13, border: 4);
        var mapper = new AddConstantMapper(0.1f, nanCorner: true);
        byte[] Bytes(int workers)
        {
            using var e = Run(input, grid, mapper, op, workers).Reduced.Exposure!;
            return TestExposures.PlaneBytes(e);
        }
        byte[] single = Bytes(1);
        Assert.Equal(single, Bytes(2));
        Assert.Equal(single, Bytes(7));
        Assert.Equal(single, Bytes(7));
        Assert.Equal(single, Bytes(-1));
    }

    [Fact]
    public void WindowSize_IsAMegabyteOfCellsOrAFewPerWorker()
    {
        using var input = TestExposures.Noise(100, 100, seed: 16);
        // 50×50 cells: 30 000 bytes each, so 34 fit in 1 MiB; 4 per worker + 4 when that is more.
        var grid = TestGrids.Regular(input.Box, cell: 50, step: 50, border: 1);
        int Window(int workers) => new MapReduceRunner(new AddConstantMapper(1f), Op(ReduceOperation.Average),
            new EngineOptions { MaxDegreeOfParallelism = workers }).WindowSize(input, grid);
        Assert.Equal(34, Window(3));
        Assert.Equal(4 * 8 + 4, Window(8));
    }

    [Fact]
    public void WindowSize_HugeCells_IsBoundedByBytesButAtLeastTwo()
    {
        // One 1200×1200 cell is 17.3 MB of image+mask+variance, more than the 16 MiB budget: the window is the minimum, 2.
        using var input = TestExposures.Noise(1200, 1200, seed: 17);
        var grid = new Grid([input.Box], [input.Box]);
        Assert.Equal(2, new MapReduceRunner(new AddConstantMapper(1f), Op(ReduceOperation.Average), new EngineOptions { MaxDegreeOfParallelism = 8 }).WindowSize(input, grid));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    public void Average_SlowFoldFastMappers_IsBitIdenticalToOneThread(int workers)
    {
        // Many small cells and several workers: mappers fill the reorder window and wait for the fold
        // (woken once per half window), which must neither hang nor change a bit of the output.
        using var input = TestExposures.Noise(200, 150, seed: 18);
        var grid = TestGrids.Regular(input.Box, cell: 4, step: 3, border: 1);
        var mapper = new AddConstantMapper(0.25f, nanCorner: true);
        using var single = Run(input, grid, mapper, ReduceOperation.Average, workers: 1).Reduced.Exposure!;
        using var many = Run(input, grid, mapper, ReduceOperation.Average, workers).Reduced.Exposure!;
        Assert.Equal(TestExposures.PlaneBytes(single), TestExposures.PlaneBytes(many));
    }

    [Theory]
    [InlineData("none")]
    [InlineData("coaddPsf")]
    public void ListAndPsf_AreIdentical_WhateverTheParallelism(string opName)
    {
        ReduceOperation op = ReduceOperation.Parse(opName);
        using var input = TestExposures.Noise(90, 90, seed: 9);
        var grid = TestGrids.Regular(input.Box, cell: 15, step: 10, border: 3);
        string Describe(int workers)
        {
            var r = Run(input, grid, op == ReduceOperation.None ? new MeanMapper() : new AddConstantMapper(1f), op, workers).Reduced;
            return op == ReduceOperation.None
                ? string.Join(";", r.Results!.Select(x => ((double)((ValueResult)x).Value!).ToString("R")))
                : string.Join(";", ((CoaddPsf)r.Psf!).Components.Select(c => c.Box.ToString()))
                  + string.Join(";", r.Psf!.ComputeKernelImage(new Point2D(44.5, 44.5)).ToArray().Select(v => v.ToString("R")));
        }
        string single = Describe(1);
        Assert.Equal(single, Describe(2));
        Assert.Equal(single, Describe(5));
    }

    [Fact]
    public void Run_CancelledDuringMapping_ThrowsOperationCanceled()
    {
        using var input = TestExposures.Noise(100, 100, seed: 10);
        var grid = TestGrids.Regular(input.Box, cell: 5, step: 5, border: 1);
        using var cts = new CancellationTokenSource();
        var mapper = new CancellingMapper(cts, atCell: 30);
        var runner = new MapReduceRunner(mapper, Op(ReduceOperation.Average), new EngineOptions { MaxDegreeOfParallelism = 3 });
        Assert.ThrowsAny<OperationCanceledException>(() => runner.Run(input, grid, cancellationToken: cts.Token));
        Assert.True(mapper.Calls < grid.Count, $"{mapper.Calls} of {grid.Count} cells were mapped after cancellation");
        Assert.True(mapper.SawToken, "the run's token did not reach the mapper's context");
    }

    [Fact]
    public void Run_AlreadyCancelled_MapsNothing()
    {
        using var input = TestExposures.Noise(20, 20, seed: 10);
        var grid = TestGrids.Regular(input.Box, cell: 5, step: 5, border: 1);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var mapper = new CancellingMapper(cts, atCell: -1);
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new MapReduceRunner(mapper, Op(ReduceOperation.Average)).Run(input, grid, cancellationToken: cts.Token));
        Assert.Equal(0, mapper.Calls);
    }

    [Fact]
    public void Run_Progress_IsMonotonicAndEndsAtTotal()
    {
        using var input = TestExposures.Noise(60, 60, seed: 11);
        var grid = TestGrids.Regular(input.Box, cell: 7, step: 6, border: 2);
        var progress = new RecordingProgress();
        using var output = new MapReduceRunner(new AddConstantMapper(1f), Op(ReduceOperation.Average), new EngineOptions { MaxDegreeOfParallelism = 4 })
            .Run(input, grid, progress: progress).Reduced.Exposure!;
        var reports = progress.Reports;
        Assert.Equal(new MapReduceProgress(MapReducePhase.Mapping, 0, grid.Count), reports[0]);
        Assert.Equal(new MapReduceProgress(MapReducePhase.Done, grid.Count, grid.Count), reports[^1]);
        for (int k = 1; k < reports.Count; k++)
        {
            Assert.True(reports[k].CellsDone >= reports[k - 1].CellsDone, $"report {k} went back: {reports[k - 1]} then {reports[k]}");
            Assert.True(reports[k].Phase >= reports[k - 1].Phase);
        }
        // The fused run reports once a band, for the cells it finished: several reports, the last of them every cell.
        var mapping = reports.Where(r => r.Phase == MapReducePhase.Mapping && r.CellsDone > 0).ToList();
        Assert.True(mapping.Count > 1, $"{mapping.Count} mapping reports");
        Assert.True(mapping.Count <= grid.Count);
        Assert.Equal(grid.Count, mapping[^1].CellsDone);
    }

    [Fact]
    public void Run_ReturnSubImages_GivesInputViewsAndResultsInCellOrder()
    {
        using var input = TestExposures.Noise(30, 30, seed: 12);
        var grid = TestGrids.Regular(input.Box, cell: 10, step: 8, border: 2);
        var result = Run(input, grid, new AddConstantMapper(1f), ReduceOperation.Average, workers: 3, returnSubImages: true);
        using var output = result.Reduced.Exposure!;
        Assert.Equal(grid.Count, result.Cells!.Count);
        for (int i = 0; i < grid.Count; i++)
        {
            var c = result.Cells[i];
            Assert.Equal(i, c.CellIndex);
            Assert.Equal(grid.Cells[i], c.InputSubExposure.Box);
            Assert.Equal(grid.ExpandedCells[i], c.InputExpandedSubExposure.Box);
            Assert.True(c.InputSubExposure.Image.IsView);
            // The results were kept alive (not returned to the pool): their pixels are readable.
            var sub = ((ExposureResult)c.Result).SubExposure;
            Assert.Equal(input.Image[sub.Box.MinX, sub.Box.MinY] + 1f, sub.Image[sub.Box.MinX, sub.Box.MinY]);
        }
    }

    [Fact]
    public void Run_FoldedResults_AreDisposed()
    {
        using var input = TestExposures.Noise(30, 30, seed: 13);
        var grid = TestGrids.Regular(input.Box, cell: 10, step: 8, border: 2);
        var mapper = new RecordingMapper();
        using var output = Run(input, grid, mapper, ReduceOperation.Average, workers: 2).Reduced.Exposure!;
        Assert.Equal(grid.Count, mapper.Created.Count);
        foreach (var e in mapper.Created)
            Assert.Throws<ObjectDisposedException>(() => e.Image.RowAt(0));
        Assert.Equal(0f, input.Image[0, 0] - input.Image[0, 0]); // the input itself is untouched and usable
    }

    [Fact]
    public void Run_MapperThrowsOnSeveralCells_ReportsTheLowestCell()
    {
        using var input = TestExposures.Noise(60, 60, seed: 14);
        var grid = TestGrids.Regular(input.Box, cell: 6, step: 6, border: 1);
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var e = Assert.Throws<InvalidDataException>(() => Run(input, grid, new FailingMapper(7, 9, 12), ReduceOperation.Sum, workers: 4));
            Assert.Equal("cell 7", e.Message);
        }
    }

    [Fact]
    public void Average_VersusNumpyBaseline_ImageAndVarianceAreBitExact()
    {
        using var input = TestExposures.Noise(83, 67, seed: 15, x0: 10, y0: 20);
        var grid = TestGrids.Regular(input.Box, cell: 17, step: 11, border: 3);
        AssertMatchesBaseline(input, grid, ReduceOperation.Average, "average", 10f, addNans: true);
    }

    [Fact]
    public void Sum_VersusNumpyBaseline_ImageAndVarianceAreBitExact()
    {
        using var input = TestExposures.Noise(64, 50, seed: 16);
        var grid = TestGrids.Regular(input.Box, cell: 15, step: 10, border: 3);
        AssertMatchesBaseline(input, grid, ReduceOperation.Sum, "sum", 0.3f, addNans: true);
    }

    [Fact]
    public void Copy_VersusNumpyBaseline_ImageAndVarianceAreBitExact()
    {
        using var input = TestExposures.Noise(64, 50, seed: 17);
        var grid = TestGrids.Regular(input.Box, cell: 15, step: 10, border: 3);
        AssertMatchesBaseline(input, grid, ReduceOperation.Copy, "copy", 2f, addNans: true);
    }

    /// <summary>
    /// Image and variance must be bit-exact: both sides add float32 values in cell order and divide
    /// in float64. Masks follow spec §8 here and the reference's "OR everything" there, so: where
    /// every contribution to a pixel was valid (or, for copy, there was one), the masks are equal;
    /// elsewhere ours is a subset of the reference's (we drop only bits of unused contributions).
    /// NaN outputs compare bit-exact too: both write the positive quiet NaN 0x7FC00000.
    /// </summary>
    private static void AssertMatchesBaseline(Exposure input, Grid grid, ReduceOperation op, string name, float amount, bool addNans)
    {
        var expected = NumpyBaseline.Run(input, grid, name, amount, addNans);
        using var output = Run(input, grid, new AddConstantMapper(amount, addNans), op, workers: 3).Reduced.Exposure!;
        Assert.Equal(expected.Image.Length, (int)output.Box.Area);
        Assert.Equal(BitsOf(expected.Image), BitsOf(output.Image.ToArray()));
        Assert.Equal(BitsOf(expected.Variance), BitsOf(output.Variance.ToArray()));
        Assert.Equal(expected.MaskPlanes.OrderBy(p => p.Value), output.Mask.Planes.Planes);

        int[] ours = output.Mask.Pixels.ToArray();
        int bad = output.Mask.GetPlaneBitMask(ReducerConfig.DefaultBadMaskPlanes);
        var corners = grid.Cells.Select(c => (c.MinX, c.MinY)).ToHashSet();
        for (int k = 0; k < ours.Length; k++)
        {
            int x = output.Box.MinX + k % output.Width, y = output.Box.MinY + k / output.Width;
            int covering = grid.Cells.Count(c => c.Contains(x, y));
            bool allValid = !addNans || !corners.Contains((x, y));
            if (covering == 0 || (covering == 1 && !allValid))
                // No valid contribution: §8 adds the bad planes for sum too (the reference leaves a zero-sum pixel unflagged).
                Assert.True((expected.Mask[k] | bad) == ours[k], $"mask at ({x},{y}): reference {expected.Mask[k]} | bad {bad}, ours {ours[k]}");
            else if (covering == 1 || (allValid && op != ReduceOperation.Copy))
                Assert.True(expected.Mask[k] == ours[k], $"mask at ({x},{y}): reference {expected.Mask[k]}, ours {ours[k]}");
            else
                Assert.True((ours[k] & ~expected.Mask[k]) == 0, $"mask at ({x},{y}): ours {ours[k]} has bits the reference's {expected.Mask[k]} lacks");
        }
    }

    private static int[] BitsOf(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

    private sealed class CancellingMapper(CancellationTokenSource cts, int atCell) : IMapper
    {
        private int calls;
        public int Calls => Volatile.Read(ref calls);
        public bool SawToken { get; private set; }

        public MapResult Map(Exposure cell, Exposure expandedCell, MapContext context)
        {
            Interlocked.Increment(ref calls);
            if (context.CancellationToken == cts.Token) SawToken = true;
            if (context.CellIndex == atCell) cts.Cancel();
            return new ExposureResult(cell.Clone());
        }
    }

    private sealed class RecordingMapper : IMapper
    {
        private readonly List<Exposure> created = [];
        public IReadOnlyList<Exposure> Created { get { lock (created) return created.ToArray(); } }

        public MapResult Map(Exposure cell, Exposure expandedCell, MapContext context)
        {
            var image = Image<float>.Rent(cell.Box);
            image.CopyFrom(cell.Image);
            var e = new Exposure(new MaskedImage(image, cell.Mask.Clone(), cell.Variance.Clone()), cell.Psf, cell.Wcs, cell.Metadata);
            lock (created) created.Add(e);
            return new ExposureResult(e);
        }
    }

    private sealed class FailingMapper(params int[] failing) : IMapper
    {
        public MapResult Map(Exposure cell, Exposure expandedCell, MapContext context)
        {
            if (failing.Contains(context.CellIndex))
            {
                if (context.CellIndex == failing[0]) Thread.Sleep(50); // fail after the later cells have failed
                throw new InvalidDataException($"cell {context.CellIndex}");
            }
            return new ExposureResult(cell.Clone());
        }
    }
}
