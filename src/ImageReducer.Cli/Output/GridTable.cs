using System.Globalization;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Gridding;

namespace ImageReducer.Cli.Output;

/// <summary>The human-readable form of a grid: a summary line, then one line per cell.</summary>
internal static class GridTable
{
    public static void Write(TextWriter output, Box exposureBox, Grid grid)
    {
        var inv = CultureInfo.InvariantCulture;
        string fwhm = grid.Fwhm is double f ? f.ToString("0.####", inv) + " px" : "not used (explicit centroids)";
        output.WriteLine($"exposure {Describe(exposureBox)}; FWHM {fwhm}; {grid.Count} cells");
        if (grid.Sizes is { } s)
            output.WriteLine($"pixel sizes: cell {s.CellSizeX}x{s.CellSizeY}, step {s.GridStepX}x{s.GridStepY}, border {s.BorderSizeX}x{s.BorderSizeY}");
        output.WriteLine($"{"index",5}  {"cell [minX,minY,maxX,maxY]",-28} expanded");
        for (int i = 0; i < grid.Count; i++)
            output.WriteLine($"{i,5}  {Brackets(grid.Cells[i]),-28} {Brackets(grid.ExpandedCells[i])}");
    }

    private static string Describe(Box b) => $"{b.Width}x{b.Height} at ({b.MinX},{b.MinY})";

    private static string Brackets(Box b) => $"[{b.MinX},{b.MinY},{b.MaxX},{b.MaxY}]";
}
