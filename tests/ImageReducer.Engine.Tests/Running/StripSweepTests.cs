using ImageReducer.Engine.Gridding;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.Reducing;
using ImageReducer.Engine.Running;

namespace ImageReducer.Engine.Tests.Running;

/// <summary>
/// A wide exposure is swept strip of columns by strip, band by band within each (tiles in that order). A cell belongs to the
/// tile where its expanded cell starts; its result is folded into every tile its box touches, in cell order. Strips narrower
/// than a cell make results and expanded cells span several strips and sections: the bytes must stay the cell-order fold's,
/// built in place or not, whatever the workers and sections.
/// </summary>
public class StripSweepTests
{
    private static IMapper Mapper(string name) => name == "add" ? TestMappers.BuiltIn("add", addAmount: 0.75) : TestMappers.BuiltIn(name);

    [Theory]
    // Cells of 21 columns every 13, expanded to 29: strips of 8 to 64 columns (the last one narrower), so a result spans up
    // to four strips and an expanded cell up to five; one worker or several, one section or many.
    [InlineData("add", "copy", 1, 8, 0, 8)]
    [InlineData("add", "sum", 2, 4, 1, 16)]
    [InlineData("add", "average", 3, 8, 2, 24)]
    [InlineData("add", "average", 4, 3, 1, 40)]
    [InlineData("identity", "sum", 2, 32, 3, 64)]
    [InlineData("add", "copy", 2, 16, 0, 56)]    // default sections
    public void Strips_AnyWidthWorkersAndSections_BitIdenticalToCellOrderFold(string mapperName, string opName, int workers, int bandRows,
        int sectionTiles, int stripWidth)
    {
        ReduceOperation op = ReduceOperation.Parse(opName);
        using var input = TestExposures.Noise(157, 131, seed: 51, x0: 5, y0: -7);
        var grid = TestGrids.Regular(input.Box, cell: 21, step: 13, border: 4);
        IMapper mapper = Mapper(mapperName);
        var expected = CellOrderReference.Fold(input, grid, mapper, op);
        using var e = expected.Exposure!;
        var actual = FusedRuns.Runner(mapper, op, workers, bandRows, sectionTiles, stripWidth).Run(input, grid).Reduced;
        using var a = actual.Exposure!;
        CellOrderReference.AssertSame(expected, actual);
    }

    [Theory]
    // identity's results are views of the input: a tile overwritten before a cell of a later strip or band that reads it was
    // mapped would show in the bytes.
    [InlineData("identity", "sum", 160, 1, 8, 0, 8)]
    [InlineData("identity", "average", 250, 2, 8, 2, 48)]
    [InlineData("identity", "copy", 157, 3, 4, 1, 24)]
    [InlineData("add", "copy", 200, 2, 4, 3, 40)]       // cells 41 every 20: up to nine results a pixel
    [InlineData("add", "average", 256, 2, 32, 1, 64)]
    public void Strips_InPlace_BitIdenticalToCellOrderFoldOfAnUntouchedCopy(string mapperName, string opName, int width, int workers,
        int bandRows, int sectionTiles, int stripWidth)
    {
        ReduceOperation op = ReduceOperation.Parse(opName);
        IMapper mapper = Mapper(mapperName);
        using var untouched = TestExposures.Noise(width, width / 2 + 3, seed: 53, x0: 3, y0: -5);
        var grid = mapperName == "add" && opName == "copy"
            ? TestGrids.Regular(untouched.Box, cell: 41, step: 20, border: 8)
            : TestGrids.Regular(untouched.Box, cell: 21, step: 13, border: 4);
        var expected = CellOrderReference.Fold(untouched, grid, mapper, op);
        using var e = expected.Exposure!;

        using var consumed = TestExposures.Noise(width, width / 2 + 3, seed: 53, x0: 3, y0: -5);
        var actual = FusedRuns.Runner(mapper, op, workers, bandRows, sectionTiles, stripWidth)
            .RunInPlace(consumed, grid, returnSubImages: false, () => throw new Xunit.Sdk.XunitException("the run restarted")).Reduced;
        using var a = actual.Exposure!;
        CellOrderReference.AssertSame(expected, actual);
        Assert.Same(consumed.Image, a.Image);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(2, true)]
    public void WideExposure_DefaultStrips_BitIdenticalToCellOrderFold(int workers, bool inPlace)
    {
        // 6,600 columns: more than 1.5 strips of the default width, so the default sweep cuts it into strips (4,096 and 2,504).
        using var input = TestExposures.Noise(6600, 48, seed: 57);
        var grid = TestGrids.Regular(input.Box, cell: 41, step: 40, border: 8);
        IMapper mapper = Mapper("add");
        var expected = CellOrderReference.Fold(input, grid, mapper, ReduceOperation.Average);
        using var e = expected.Exposure!;
        var runner = new MapReduceRunner(mapper, CellOrderReference.Op(ReduceOperation.Average), new EngineOptions { MaxDegreeOfParallelism = workers });
        using var consumed = input.Clone();
        var actual = FusedRuns.Run(runner, input, consumed, grid, inPlace);
        using var a = inPlace ? null : actual.Exposure!;
        CellOrderReference.AssertSame(expected, actual);
    }

    [Theory]
    [InlineData("add", "average", false)]
    [InlineData("identity", "sum", true)]   // in place, results viewing the input: a tile folded before the cell reaching into it would show
    public void Strips_SeamIntoTheNextStripMappedLate_OthersWaitAndTheBytesDoNotChange(string mapperName, string opName, bool inPlace)
    {
        // Strips of 40 columns, sections of two bands: the first section's cells whose expanded cell reaches into the second
        // strip are its seam. One of them is held until another worker has mapped a cell, then a little longer, so the others
        // run on (into the second strip too) and reach the tiles they cannot fold without it.
        const int strip = 40;
        ReduceOperation op = ReduceOperation.Parse(opName);
        using var input = TestExposures.Noise(120, 64, seed: 58);
        var grid = TestGrids.Regular(input.Box, cell: 21, step: 13, border: 4);
        int held = Enumerable.Range(0, grid.Count).First(c =>
            grid.ExpandedCells[c].MinX < input.Box.MinX + strip && grid.ExpandedCells[c].MaxX >= input.Box.MinX + strip);
        GatedMapper? gated = null;
        var mapper = gated = new GatedMapper(Mapper(mapperName), gatedCell: held, gate: _ =>
        {
            Assert.True(SpinWait.SpinUntil(() => gated!.Calls > 1, TimeSpan.FromSeconds(60)), "no other worker started");
            Thread.Sleep(50);
        });
        var expected = CellOrderReference.Fold(input, grid, Mapper(mapperName), op);
        using var e = expected.Exposure!;
        var runner = FusedRuns.Runner(mapper, op, workers: 3, bandRows: 8, sectionTiles: 2, stripWidth: strip);
        using var consumed = input.Clone();
        var actual = FusedRuns.Run(runner, input, consumed, grid, inPlace);
        using var a = inPlace ? null : actual.Exposure!;
        CellOrderReference.AssertSame(expected, actual);
        Assert.Equal(grid.Count, mapper.Calls); // each cell mapped once: no fallback
    }
}
