namespace ImageReducer.Workflow.Reduction;

/// <summary>The side results of one tile (<see cref="ReductionNames.TileCells"/>): its owned cells, in grid order.</summary>
/// <param name="RunId">The run that wrote it (a stale document from another run is refused).</param>
/// <param name="Tile">The tile index.</param>
/// <param name="Cells">Owned cells with a PSF or value.</param>
public sealed record TileCells(string RunId, int Tile, OwnedCell[] Cells)
{
    /// <summary>Marker of <see cref="OwnedCell.Psf"/> for "the input exposure's PSF".</summary>
    public const string InputPsf = "input";
}
