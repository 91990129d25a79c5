using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Gridding;

namespace ImageReducer.Engine.Tests.Running;

/// <summary>Test-local grids (GridBuilder lives elsewhere): the reference's <c>adjustGridOption: none</c> in pixels.</summary>
internal static class TestGrids
{
    /// <summary>
    /// Centres cell//2, +step, … while &lt; size + cell//2 (x outer, y inner); each cell is shifted
    /// to its centre and clipped; the expanded cell is grown by the border and clipped; pairs with
    /// an area ≤ 1 are dropped.
    /// </summary>
    public static Grid Regular(Box bounds, int cell, int step, int border)
    {
        var cells = new List<Box>();
        var expanded = new List<Box>();
        var xs = Centres(bounds.Width, cell, step);
        var ys = Centres(bounds.Height, cell, step);
        foreach (int cx in xs)
            foreach (int cy in ys)
            {
                var template = new Box(bounds.MinX, bounds.MinY, cell, cell);
                var big = template.Grow(border);
                int ox = cx - cell / 2, oy = cy - cell / 2;
                Box b0 = template.Shift(ox, oy).Clip(bounds), b1 = big.Shift(ox, oy).Clip(bounds);
                if (b0.Area > 1 && b1.Area > 1) { cells.Add(b0); expanded.Add(b1); }
            }
        return new Grid(cells, expanded);
    }

    /// <summary>
    /// The part of a run that builds <paramref name="band"/>: the cells whose expanded cell touches it (ascending) and the
    /// piece of the exposure holding all of them.
    /// </summary>
    public static (int[] Cells, Box Piece) PartFor(Grid grid, Box band)
    {
        int[] cells = [.. Enumerable.Range(0, grid.Count).Where(i => !grid.ExpandedCells[i].Clip(band).IsEmpty)];
        return (cells, cells.Aggregate(band, (b, i) => b.Include(grid.ExpandedCells[i])));
    }

    private static List<int> Centres(int size, int cell, int step)
    {
        var c = new List<int>();
        for (int x = cell / 2; x < size + cell / 2; x += step) c.Add(x);
        return c;
    }
}
