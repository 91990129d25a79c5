using System.Text.Json.Serialization;
using ImageReducer.Engine.Config;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Reduction;

/// <summary>What to reduce: an input exposure blob, where the output goes, the configuration and the tile height.</summary>
/// <param name="Input">The input exposure (FITS, any layout the engine reads).</param>
/// <param name="Output">
/// The output blob: the stitched exposure (<c>copy</c>, <c>sum</c>, <c>average</c>), the PSF file
/// (<c>coaddPsf</c>) or the results JSON (<c>none</c>). Its metadata JSON goes beside it
/// (<see cref="ReductionNames.Metadata"/>).
/// </param>
/// <param name="Config">
/// The map-reduce configuration, parsed and validated once at the request's edge (the HTTP body, the trigger's settings, the
/// command line) and carried typed from there; in the orchestration's input it is the configuration's own JSON form
/// (<see cref="MapReduceConfigConverter"/>).
/// </param>
/// <param name="TileSize">Rows per tile (≥ 1); a tile is a horizontal band of the output.</param>
public sealed record ReductionRequest(BlobPath Input, BlobPath Output,
    [property: JsonConverter(typeof(MapReduceConfigConverter))] MapReduceConfig Config, int TileSize)
{
    /// <summary>
    /// The orchestration instance running the request, set by the orchestration on the copy it hands
    /// to the plan activity, for that activity's logs; null in a submitted request.
    /// </summary>
    public string? InstanceId { get; init; }

    /// <summary>
    /// The PSF to use instead of the input's stored one (or for an input without one): the syntax of <c>imred run --psf</c>
    /// (<see cref="Engine.PointSpread.PsfSpec"/>), a kernel being a blob (<c>kernel:az://container/name</c>); null: the input's.
    /// </summary>
    public string? Psf { get; init; }

    /// <summary>
    /// The mapper's auxiliary inputs by name (<c>template</c>, <c>psfMatchingKernel</c>…): exposures on the input's
    /// pixel grid, or kernel FITS files. Null or empty when the mapper takes none.
    /// </summary>
    public IReadOnlyDictionary<string, BlobPath>? Auxiliary { get; init; }

    /// <summary>
    /// How the exposure is split into activities (<see cref="ExposureFlow"/>); null: <see cref="ExposureFlow.Tiled"/>. It changes
    /// no output byte, so it is part of no run id, result key or instance id.
    /// </summary>
    public ExposureFlow? Flow { get; init; }

    /// <summary>What an idempotency key adds for <see cref="Auxiliary"/>: empty without any (keys of such requests do not change).</summary>
    public string AuxiliaryKey() => Auxiliary is not { Count: > 0 } aux ? ""
        : "\naux:" + string.Join("\n", aux.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}
