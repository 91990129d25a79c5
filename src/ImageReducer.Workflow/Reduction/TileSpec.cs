using ImageReducer.Engine.Imaging;

namespace ImageReducer.Workflow.Reduction;

/// <summary>One tile of a plan: a band of output rows, the cells it computes and the input rows it reads.</summary>
/// <param name="Index">Tile index (band order, top of the exposure first).</param>
/// <param name="Region">The output rows the tile owns, full width.</param>
/// <param name="InputBox">The input the tile reads: its region plus the expanded cells of its cells (the halo).</param>
/// <param name="Cells">Grid indices of the cells the tile maps, increasing.</param>
/// <param name="OwnedCells">
/// The cells whose side results (PSF, value) this tile reports: those whose cell box starts in its
/// region, so each cell is reported by exactly one tile.
/// </param>
public sealed record TileSpec(int Index, Box Region, Box InputBox, int[] Cells, int[] OwnedCells);
