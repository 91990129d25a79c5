using System.Text.Json;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Reducing;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Reduction;

/// <summary>The metadata JSON written beside an output (<see cref="ReductionNames.Metadata"/>).</summary>
/// <param name="RunId">The run.</param>
/// <param name="ResultKey">What the run computed (<see cref="ReductionNames.ResultKey"/>: input version, configuration, tile size), kept near the start of the document so a reader of its first bytes finds it.</param>
/// <param name="Input">The input blob.</param>
/// <param name="InputETag">The input version reduced.</param>
/// <param name="Output">The output blob.</param>
/// <param name="Kind">What the output is.</param>
/// <param name="OutputBytes">Its length.</param>
/// <param name="OutputSha256">
/// SHA-256 (lowercase hex) of the output's bytes, as <c>sha256sum</c> prints it. PSF and results outputs
/// are hashed as they are written; an exposure is read back once after the commit (its tiles' parts do
/// not compose into a SHA-256), unless <see cref="ReductionServices.HashOutputs"/> is off, then null.
/// </param>
/// <param name="Config">The configuration.</param>
/// <param name="TileSize">Rows per tile.</param>
/// <param name="FullBox">The exposure's box.</param>
/// <param name="CellCount">Cells in the grid.</param>
/// <param name="Fwhm">PSF FWHM the grid was scaled by.</param>
/// <param name="Tiles">Per tile: boxes, cells, timings and sizes.</param>
/// <param name="Overlap">Contribution counts over the whole output (stitching operations).</param>
/// <param name="Checksums">DATASUM of every HDU of an exposure output.</param>
/// <param name="ReduceBytesRead">Bytes the reduce step downloaded to build the output (headers, PSF, side results; never pixels).</param>
/// <param name="ReduceBytesStaged">Bytes the reduce step uploaded (headers, padding, PSF table, or the whole small output).</param>
/// <param name="OutputHashBytesRead">Bytes read back to hash an exposure output (its length, or 0 when not hashed).</param>
/// <param name="OutputHashSeconds">Seconds that read-back and hash took.</param>
public sealed record ReductionMetadata(
    string RunId, string ResultKey, BlobPath Input, string InputETag, BlobPath Output, OutputKind Kind, long OutputBytes, string? OutputSha256,
    JsonElement Config, int TileSize, Box FullBox, int CellCount, double? Fwhm, TileMetadata[] Tiles, OverlapStatistics? Overlap,
    HduChecksum[] Checksums, long ReduceBytesRead, long ReduceBytesStaged, long OutputHashBytesRead = 0, double OutputHashSeconds = 0)
{
    /// <summary>Per input pixel plane (IMAGE, MASK, VARIANCE): whether its DATASUM/CHECKSUM was verified, and how.</summary>
    public InputChecksumStatus[] InputChecksums { get; init; } = [];

    /// <summary>What the FITS reader tolerated in the input's headers (docs/errors.md, "Strictness"), one message each.</summary>
    public string[] InputWarnings { get; init; } = [];

    /// <summary>Wall time of the plan step, in seconds.</summary>
    public double PlanSeconds { get; init; }

    /// <summary>Input bytes the plan step downloaded (headers and PSF only).</summary>
    public long PlanBytesRead { get; init; }

    /// <summary>Wall time of the reduce step up to writing this document, in seconds.</summary>
    public double ReduceSeconds { get; init; }

    /// <summary>
    /// The ETag of the output version this document describes: a reader that finds the output at another ETag is
    /// looking at a newer run's output whose metadata is being written (docs/functions.md, "Concurrent runs").
    /// </summary>
    public string? OutputETag { get; init; }

    /// <summary>
    /// How the run was split into activities: <see cref="ExposureFlow.Tiled"/> (plan, tiles, reduce; a document without the
    /// field is one) or <see cref="ExposureFlow.Whole"/> (one activity; <see cref="Tiles"/> then holds one entry, the whole box).
    /// </summary>
    public ExposureFlow Flow { get; init; } = ExposureFlow.Tiled;
}
