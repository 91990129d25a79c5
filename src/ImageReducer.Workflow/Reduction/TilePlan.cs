using ImageReducer.Engine.Config;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;
using ImageReducer.Workflow.Storage;
using ImageReducer.Engine.Gridding;
using ImageReducer.Engine.Reducing;
using System.Text.Json.Serialization;

namespace ImageReducer.Workflow.Reduction;

/// <summary>
/// The part of a plan one MapTile needs, stored as its own small blob (<see cref="ReductionNames.TilePlan"/>)
/// so a tile reads the boxes of its own cells instead of the whole plan (every cell of the grid and every
/// tile): ~140 KiB instead of 1.5 MiB for a 1024-row tile of a 4096² exposure with 41-px cells.
/// </summary>
/// <param name="RunId">See <see cref="ReductionNames.RunId"/>.</param>
/// <param name="Input">The input exposure.</param>
/// <param name="InputETag">The input version planned; the tile refuses another.</param>
/// <param name="InputFormat">The input's FITS layout.</param>
/// <param name="Output">The output blob.</param>
/// <param name="Kind">What the output is.</param>
/// <param name="Config">The run's configuration, as planned (typed; stored in its own JSON form).</param>
/// <param name="FullBox">The exposure's box.</param>
/// <param name="CellCount">Cells in the whole grid (cell indices are indices into it).</param>
/// <param name="Fwhm">The PSF FWHM the grid was scaled by, if any.</param>
/// <param name="Tile">The tile.</param>
/// <param name="Cells">Boxes of the tile's cells, in the order of <see cref="TileSpec.Cells"/>.</param>
/// <param name="ExpandedCells">Expanded boxes of the tile's cells, in the same order.</param>
public sealed record TilePlan(
    string RunId, BlobPath Input, string InputETag, ExposureFormat InputFormat, BlobPath Output, OutputKind Kind,
    [property: JsonConverter(typeof(MapReduceConfigConverter))] MapReduceConfig Config,
    Box FullBox, int CellCount, double? Fwhm, TileSpec Tile, Box[] Cells, Box[] ExpandedCells)
{
    /// <summary>The mapper's auxiliary inputs, pinned to the versions planned (the tile reads its band of each exposure).</summary>
    public AuxiliaryBlob[] Auxiliary { get; init; } = [];

    /// <summary>The caller's PSF spec of the run (<see cref="ReductionPlan.Psf"/>); null: the input's.</summary>
    public string? Psf { get; init; }

    /// <summary>The pinned version of its kernel blob (<see cref="ReductionPlan.PsfKernelETag"/>).</summary>
    public string? PsfKernelETag { get; init; }

    /// <summary>Tile <paramref name="index"/> of <paramref name="plan"/>.</summary>
    /// <exception cref="ReductionException">The plan has no such tile.</exception>
    public static TilePlan Of(ReductionPlan plan, int index)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if ((uint)index >= (uint)plan.Tiles.Length)
            throw ReductionErrors.Inconsistent($"tile {index} is not in plan {plan.RunId} ({plan.Tiles.Length} tiles)");
        TileSpec tile = plan.Tiles[index];
        return new TilePlan(plan.RunId, plan.Input, plan.InputETag, plan.InputFormat, plan.Output, plan.Kind, plan.Config,
            plan.FullBox, plan.Cells.Length, plan.Fwhm, tile, [.. tile.Cells.Select(i => plan.Cells[i])], [.. tile.Cells.Select(i => plan.ExpandedCells[i])])
        {
            Auxiliary = plan.Auxiliary,
            Psf = plan.Psf,
            PsfKernelETag = plan.PsfKernelETag,
        };
    }

    /// <summary>The reducer of <see cref="Config"/>, to ask what the run produces.</summary>
    [JsonIgnore]
    public IReducer Reducer => Reducers.Create(Config.Reducer);

    /// <summary>
    /// A grid of <see cref="CellCount"/> cells in which this tile's cells hold their boxes (the runner
    /// reads only the cells a part names; the others are empty boxes).
    /// </summary>
    /// <exception cref="ReductionException">The document is inconsistent.</exception>
    public Grid ToGrid()
    {
        if (Cells.Length != Tile.Cells.Length || ExpandedCells.Length != Tile.Cells.Length)
            throw ReductionErrors.Inconsistent($"tile plan {RunId}/{Tile.Index} lists {Tile.Cells.Length} cells but {Cells.Length} boxes and {ExpandedCells.Length} expanded boxes");
        var cells = new Box[CellCount];
        var expanded = new Box[CellCount];
        for (int k = 0; k < Tile.Cells.Length; k++)
        {
            int i = Tile.Cells[k];
            if ((uint)i >= (uint)CellCount) throw ReductionErrors.Inconsistent($"tile plan {RunId}/{Tile.Index} names cell {i} of a grid of {CellCount}");
            (cells[i], expanded[i]) = (Cells[k], ExpandedCells[k]);
        }
        return new Grid(cells, expanded, Fwhm);
    }

    /// <summary>
    /// Reads the tile plan of tile <paramref name="index"/> of the plan at <paramref name="planPath"/>;
    /// when there is none (a plan stored before tile plans existed), takes it from the whole plan.
    /// </summary>
    /// <exception cref="ReductionException">The plan has no such tile.</exception>
    public static async Task<(TilePlan Plan, long BytesRead)> LoadAsync(IBlobStore store, BlobPath planPath, int index, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        try
        {
            byte[] json = await store.ReadAllAsync(ReductionNames.TilePlan(planPath, index), cancellationToken).ConfigureAwait(false);
            return (WorkflowJson.Deserialize<TilePlan>(json), json.Length);
        }
        catch (BlobNotFoundException)
        {
            byte[] json = await store.ReadAllAsync(planPath, cancellationToken).ConfigureAwait(false);
            return (Of(WorkflowJson.Deserialize<ReductionPlan>(json), index), json.Length);
        }
    }
}
