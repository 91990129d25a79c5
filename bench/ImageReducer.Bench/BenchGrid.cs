using ImageReducer.Engine.Grid;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Bench;

/// <summary>Bench-local grid in pixels with the reference's <c>adjustGridOption: none</c> (GridBuilder is written elsewhere).</summary>
internal static class BenchGrid
{
    public static Grid None(Box bounds, int cell, int step, int border)
    {
        var cells = new List<Box>();
        var expanded = new List<Box>();
        for (int cx = cell / 2; cx < bounds.Width + cell / 2; cx += step)
            for (int cy = cell / 2; cy < bounds.Height + cell / 2; cy += step)
            {
                var template = new Box(bounds.MinX, bounds.MinY, cell, cell);
                int ox = cx - cell / 2, oy = cy - cell / 2;
                Box b0 = template.Shift(ox, oy).Clip(bounds), b1 = template.Grow(border).Shift(ox, oy).Clip(bounds);
                if (b0.Area > 1 && b1.Area > 1) { cells.Add(b0); expanded.Add(b1); }
            }
        return new Grid(cells, expanded);
    }
}
