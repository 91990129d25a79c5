using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Gridding;

/// <summary>
/// The cells of a map-reduce run: <see cref="Cells"/> (the reference's <c>boxes0</c>) and
/// <see cref="ExpandedCells"/> (<c>boxes1</c>, cell + border clipped to the exposure), in the
/// reference's order (x outer loop, y inner loop).
/// </summary>
/// <param name="Cells">Cell boxes (parent coordinates).</param>
/// <param name="ExpandedCells">Expanded-cell boxes; same length and order as <paramref name="Cells"/>.</param>
/// <param name="Fwhm">
/// The PSF FWHM (pixels) measured for the grid: the sizes were scaled by it when <c>scaleByFwhm</c>;
/// like the reference, it is measured whenever there are no explicit centroids, even without
/// scaling. Null with explicit centroids, or without scaling when no PSF/FWHM was given.
/// </param>
/// <param name="Sizes">The integer pixel sizes actually used, or null for explicit centroids.</param>
public sealed record Grid(IReadOnlyList<Box> Cells, IReadOnlyList<Box> ExpandedCells, double? Fwhm = null, GridSizes? Sizes = null)
{
    /// <summary>Number of cells.</summary>
    public int Count => Cells.Count;
}

/// <summary>The pixel sizes a grid was built with (after FWHM scaling and rounding).</summary>
public sealed record GridSizes(int CellSizeX, int CellSizeY, int GridStepX, int GridStepY, int BorderSizeX, int BorderSizeY);
