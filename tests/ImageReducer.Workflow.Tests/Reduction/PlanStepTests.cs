using ImageReducer.Engine.Gridding;
using ImageReducer.Engine.Imaging;
using ImageReducer.Workflow.Reduction;

namespace ImageReducer.Workflow.Tests.Reduction;

public sealed class PlanStepTests
{
    private static Grid TestGrid(Box box)
    {
        var cells = new List<Box>();
        var expanded = new List<Box>();
        for (int x = box.MinX; x <= box.MaxX; x += 6)
            for (int y = box.MinY; y <= box.MaxY; y += 5)
            {
                Box cell = new Box(x, y, 8, 7).Clip(box);
                cells.Add(cell);
                expanded.Add(cell.Grow(3).Clip(box));
            }
        return new Grid(cells, expanded);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(33)]
    [InlineData(1000)]
    public void CutTiles_Stitching_BandsPartitionTheBoxAndEachCellIsOwnedOnce(int tileSize)
    {
        Box box = new(3, -2, 31, 33);
        Grid grid = TestGrid(box);

        TileSpec[] tiles = PlanStep.CutTiles(box, grid, tileSize, stitches: true);

        Assert.Equal(Enumerable.Range(box.MinY, box.Height), tiles.SelectMany(t => Enumerable.Range(t.Region.MinY, t.Region.Height)));
        Assert.All(tiles, t => Assert.Equal((box.MinX, box.Width), (t.Region.MinX, t.Region.Width)));
        Assert.Equal(Enumerable.Range(0, grid.Count), tiles.SelectMany(t => t.OwnedCells).Order());
        foreach (TileSpec t in tiles)
        {
            // Every cell whose expanded box meets the band is computed, in grid order, and the input covers them all.
            int[] touching = [.. Enumerable.Range(0, grid.Count).Where(i => !grid.ExpandedCells[i].Clip(t.Region).IsEmpty)];
            Assert.Equal(touching, t.Cells);
            Assert.True(t.InputBox.Contains(t.Region));
            Assert.All(t.Cells, i => Assert.True(t.InputBox.Contains(grid.ExpandedCells[i])));
            Assert.All(t.OwnedCells, i => Assert.True(t.Region.Contains(grid.Cells[i].MinX, grid.Cells[i].MinY)));
        }
    }

    [Fact]
    public void CutTiles_NotStitching_TilesMapOnlyTheCellsTheyOwn()
    {
        Box box = new(0, 0, 20, 20);
        Grid grid = TestGrid(box);

        TileSpec[] tiles = PlanStep.CutTiles(box, grid, 7, stitches: false);

        Assert.All(tiles, t => Assert.Equal(t.OwnedCells, t.Cells));
        Assert.Equal(grid.Count, tiles.Sum(t => t.Cells.Length));
    }

    [Fact]
    public void ResultKeyAndRunId_DependOnEveryInput_RunIdAlsoOnTheOutputAndTheOwner()
    {
        var input = new ImageReducer.Workflow.Storage.BlobPath("incoming", "a.fits");
        var output = new ImageReducer.Workflow.Storage.BlobPath("outputs", "a.fits");
        string key = ReductionNames.ResultKey(input, "etag1", "{}", 8);
        string id = ReductionNames.RunId(key, output, "instance-1");

        Assert.Equal(key, ReductionNames.ResultKey(input, "etag1", "{}", 8));
        Assert.NotEqual(key, ReductionNames.ResultKey(input, "etag2", "{}", 8));
        Assert.NotEqual(key, ReductionNames.ResultKey(input, "etag1", "{ }", 8));
        Assert.NotEqual(key, ReductionNames.ResultKey(input, "etag1", "{}", 9));
        Assert.Equal(id, ReductionNames.RunId(key, output, "instance-1"));
        Assert.NotEqual(id, ReductionNames.RunId(key, new("outputs", "b.fits"), "instance-1"));
        Assert.NotEqual(id, ReductionNames.RunId(key, output, "instance-2")); // two runs to one output never share names
        Assert.Matches("^[0-9a-f]{32}$", key);
        Assert.Matches("^[0-9a-f]{32}$", id);
    }
}
