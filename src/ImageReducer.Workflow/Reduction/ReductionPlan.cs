using ImageReducer.Engine.Config;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;
using ImageReducer.Workflow.Storage;
using ImageReducer.Engine.Gridding;
using ImageReducer.Engine.Reducing;
using System.Text.Json.Serialization;

namespace ImageReducer.Workflow.Reduction;

/// <summary>
/// The plan of one run, stored as a blob (<see cref="ReductionNames.Plan"/>) because a large grid
/// would not fit a Durable message; activities get its path and a tile index.
/// </summary>
/// <param name="RunId">See <see cref="ReductionNames.RunId"/>.</param>
/// <param name="Input">The input exposure.</param>
/// <param name="InputETag">The input version planned; steps refuse another.</param>
/// <param name="InputFormat">The input's FITS layout.</param>
/// <param name="Output">The output blob.</param>
/// <param name="Kind">What the output is.</param>
/// <param name="Config">The configuration, validated once when the run was planned; stored in its own JSON form.</param>
/// <param name="TileSize">Rows per tile.</param>
/// <param name="FullBox">The exposure's box.</param>
/// <param name="Cells">Grid cells, in grid order.</param>
/// <param name="ExpandedCells">Grid expanded cells, in grid order.</param>
/// <param name="Fwhm">The PSF FWHM the grid was scaled by, if any.</param>
/// <param name="Tiles">The tiles, in band order.</param>
public sealed record ReductionPlan(
    string RunId, BlobPath Input, string InputETag, ExposureFormat InputFormat, BlobPath Output, OutputKind Kind,
    [property: JsonConverter(typeof(MapReduceConfigConverter))] MapReduceConfig Config, int TileSize, Box FullBox, Box[] Cells, Box[] ExpandedCells, double? Fwhm, TileSpec[] Tiles)
{
    /// <summary>
    /// What verifies the input's IMAGE, MASK and VARIANCE DATASUM/CHECKSUM from the tiles' partial sums
    /// (LSST layout; empty for layouts whose planes the tiles do not sum, see <see cref="ReduceStep"/>).
    /// </summary>
    public InputPlaneChecksum[] InputChecksums { get; init; } = [];

    /// <summary>What the FITS reader tolerated in the input's headers (docs/errors.md, "Strictness"), one message each.</summary>
    public string[] InputWarnings { get; init; } = [];

    /// <summary>The mapper's auxiliary inputs, pinned to the versions planned (empty when it takes none).</summary>
    public AuxiliaryBlob[] Auxiliary { get; init; } = [];

    /// <summary>The caller's PSF spec (<see cref="ReductionRequest.Psf"/>), used instead of the input's; null: the input's.</summary>
    public string? Psf { get; init; }

    /// <summary>The version of the kernel blob of a <c>kernel:</c> <see cref="Psf"/>, pinned by the plan.</summary>
    public string? PsfKernelETag { get; init; }

    /// <summary>The reducer of <see cref="Config"/>, to ask what the run produces.</summary>
    [JsonIgnore]
    public IReducer Reducer => Reducers.Create(Config.Reducer);

    /// <summary>
    /// The output's ETag when the run was planned (null: there was no output). The run publishes only over this
    /// version (<see cref="Storage.BlobCondition.IfUnchanged"/>): if another run published meanwhile, this one fails
    /// with <see cref="Engine.Errors.ErrorCodes.OutputChanged"/> instead of mixing with it or overwriting it.
    /// </summary>
    public string? OutputETag { get; init; }

    /// <summary>What the run computes (<see cref="ReductionNames.ResultKey"/>), copied into the metadata.</summary>
    public string ResultKey { get; init; } = "";

    /// <summary>The grid of the plan.</summary>
    public Grid ToGrid() => new(Cells, ExpandedCells, Fwhm);
}
