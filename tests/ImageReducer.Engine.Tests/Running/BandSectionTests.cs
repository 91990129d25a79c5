using ImageReducer.Engine.Gridding;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.Reducing;
using ImageReducer.Engine.Running;

namespace ImageReducer.Engine.Tests.Running;

/// <summary>
/// The fused run's workers each sweep a section of consecutive bands alone; a section's seam (its cells whose expanded
/// cell reaches past its last band) is mapped first and the next sections fold their first bands from it. Small
/// sections make every seam reach across several sections: the bytes must stay the cell-order fold's, built in place or
/// not, whoever maps a seam and however late; a slow, failing or cancelled seam must neither hang nor change the outcome.
/// </summary>
public class BandSectionTests
{
    private static MapReduceRunner Runner(IMapper mapper, ReduceOperation op, int workers, int bandRows, int sectionBands)
        => FusedRuns.Runner(mapper, op, workers, bandRows, sectionBands);

    private static IMapper Add() => TestMappers.BuiltIn("add", addAmount: 0.75);

    private static IMapper Identity() => TestMappers.BuiltIn("identity");

    [Theory]
    // Expanded cells 29 rows tall over bands of 3–8 rows: a seam reaches 1 to 9 sections on.
    [InlineData("copy", 2, 4, 1)]
    [InlineData("sum", 3, 4, 2)]
    [InlineData("average", 4, 3, 1)]
    [InlineData("average", 2, 8, 3)]
    [InlineData("copy", 1, 4, 2)]     // one worker sweeping every section in turn
    [InlineData("sum", 2, 32, 1)]     // a section taller than a cell: seams reach the next section only
    public void Sections_AnyWorkersAndSeams_BitIdenticalToCellOrderFold(string opName, int workers, int bandRows, int sectionBands)
    {
        ReduceOperation op = ReduceOperation.Parse(opName);
        using var input = TestExposures.Noise(157, 131, seed: 41, x0: 5, y0: -7);
        var grid = TestGrids.Regular(input.Box, cell: 21, step: 13, border: 4);
        IMapper mapper = Add();
        var expected = CellOrderReference.Fold(input, grid, mapper, op);
        using var e = expected.Exposure!;
        var actual = Runner(mapper, op, workers, bandRows, sectionBands).Run(input, grid).Reduced;
        using var a = actual.Exposure!;
        CellOrderReference.AssertSame(expected, actual);
    }

    [Theory]
    // identity's results are views of the input: a band a section overwrote before a seam that reads it was mapped,
    // or a seam folded before it was mapped, would show in the bytes.
    [InlineData("identity", "sum", 160, 2, 4, 1, 21, 13, 4)]
    [InlineData("identity", "average", 250, 3, 8, 2, 41, 40, 8)]
    [InlineData("identity", "copy", 157, 4, 3, 1, 11, 10, 2)]
    [InlineData("add", "copy", 200, 2, 4, 3, 41, 20, 8)]      // up to nine results a pixel
    [InlineData("add", "average", 256, 2, 32, 1, 41, 40, 8)]
    public void Sections_InPlace_BitIdenticalToCellOrderFoldOfAnUntouchedCopy(string mapperName, string opName, int width, int workers,
        int bandRows, int sectionBands, int cell, int step, int border)
    {
        ReduceOperation op = ReduceOperation.Parse(opName);
        IMapper mapper = mapperName == "add" ? Add() : Identity();
        using var untouched = TestExposures.Noise(width, width + 3, seed: 43, x0: 3, y0: -5);
        var grid = TestGrids.Regular(untouched.Box, cell, step, border);
        var expected = CellOrderReference.Fold(untouched, grid, mapper, op);
        using var e = expected.Exposure!;

        using var consumed = TestExposures.Noise(width, width + 3, seed: 43, x0: 3, y0: -5);
        var actual = Runner(mapper, op, workers, bandRows, sectionBands)
            .RunInPlace(consumed, grid, returnSubImages: false, () => throw new Xunit.Sdk.XunitException("the run restarted")).Reduced;
        using var a = actual.Exposure!;
        CellOrderReference.AssertSame(expected, actual);
        Assert.Same(consumed.Image, a.Image);
    }

    [Theory]
    [InlineData("add", "average", false)]
    [InlineData("identity", "sum", true)]   // in place, results viewing the input: a band overwritten before the seam reads it would show
    [InlineData("add", "copy", true)]
    public void Sections_FirstSeamMappedLate_OthersWaitAndTheBytesDoNotChange(string mapperName, string opName, bool inPlace)
    {
        // Cell 0 is in the first section's seam: every other section's first band waits for it.
        ReduceOperation op = ReduceOperation.Parse(opName);
        Func<IMapper> inner = mapperName == "add" ? Add : Identity;
        using var input = TestExposures.Noise(120, 140, seed: 44);
        var grid = TestGrids.Regular(input.Box, cell: 21, step: 13, border: 4);
        // Held until another worker has mapped a cell of a later section (however late the thread pool starts it), then a
        // little longer, so the others reach the first band they cannot fold yet.
        GatedMapper? gated = null;
        var mapper = gated = new GatedMapper(inner(), gatedCell: 0, gate: _ =>
        {
            Assert.True(SpinWait.SpinUntil(() => gated!.Calls > 1, TimeSpan.FromSeconds(60)), "no other worker started");
            Thread.Sleep(50);
        });
        var expected = CellOrderReference.Fold(input, grid, inner(), op);
        using var e = expected.Exposure!;
        var runner = Runner(mapper, op, workers: 3, bandRows: 4, sectionBands: 1);
        using var consumed = input.Clone();
        var actual = FusedRuns.Run(runner, input, consumed, grid, inPlace);
        using var a = inPlace ? null : actual.Exposure!;
        CellOrderReference.AssertSame(expected, actual);
        Assert.Equal(grid.Count, mapper.Calls); // each cell mapped once: no fallback, no cell mapped twice
        Assert.True(mapper.CallsBeforeGateOpened > 0, "no other section was swept while the first seam was mapped");
    }

    [Fact]
    public void Sections_SeamFailsWhileOthersWait_NoHangAndTheCellOrderFoldsError()
    {
        using var input = TestExposures.Noise(120, 140, seed: 45);
        var grid = TestGrids.Regular(input.Box, cell: 21, step: 13, border: 4);
        var mapper = new GatedMapper(Add(), gatedCell: 0, gate: _ =>
        {
            Thread.Sleep(100);
            throw new InvalidDataException("cell 0 failed");
        });
        var run = Task.Run(() => Runner(mapper, ReduceOperation.Sum, workers: 3, bandRows: 4, sectionBands: 1).Run(input, grid));
        Assert.True(((IAsyncResult)run).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(60)), "the run hung");
        var error = Assert.Throws<InvalidDataException>(() => run.GetAwaiter().GetResult());
        Assert.Equal("cell 0 failed", error.Message);
    }

    [Fact]
    public void Sections_CancelledWhileOthersWaitForASeam_ThrowsCancelledPromptly()
    {
        using var input = TestExposures.Noise(120, 140, seed: 46);
        var grid = TestGrids.Regular(input.Box, cell: 21, step: 13, border: 4);
        using var cts = new CancellationTokenSource();
        // Cell 0 (the first seam) holds until the run is cancelled; the others sweep their sections and then wait for it.
        var mapper = new GatedMapper(Add(), gatedCell: 0, gate: context => context.CancellationToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(60)));
        var run = Task.Run(() => Runner(mapper, ReduceOperation.Average, workers: 3, bandRows: 4, sectionBands: 1)
            .Run(input, grid, cancellationToken: cts.Token));
        SpinWait.SpinUntil(() => mapper.Calls > 4 || run.IsCompleted, TimeSpan.FromSeconds(30));
        Thread.Sleep(50);
        cts.Cancel();
        Assert.True(((IAsyncResult)run).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(60)), "the run hung after cancellation");
        Assert.ThrowsAny<OperationCanceledException>(() => run.GetAwaiter().GetResult());
        Assert.True(mapper.Calls < grid.Count, $"{mapper.Calls} of {grid.Count} cells were mapped: the others did not wait");
    }
}
