using ImageReducer.Engine.Errors;
using ImageReducer.Engine.Imaging;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Reduction;

/// <summary>The workflow's own errors, in one place so that their messages and classes stay consistent.</summary>
public static class ReductionErrors
{
    /// <summary>A tile size below one row: the caller's setting.</summary>
    public static ReductionException TileSize(int tileSize) =>
        new(ErrorClass.Caller, ErrorCodes.TileSize, $"tileSize must be >= 1 row, got {tileSize}");

    /// <summary>The tile size cuts the exposure into more tiles than the deployment allows: the caller's setting, not the input's fault.</summary>
    public static ReductionException MaxTiles(BlobPath input, int tileSize, long rows, int tileCount, int maxTiles) => new(ErrorClass.Caller, ErrorCodes.MaxTiles,
        $"{input}: tile size {tileSize} cuts {rows} rows into {tileCount} tiles; the limit is {maxTiles} (ImageReducer__MaxTiles): use taller tiles");

    /// <summary>The configuration's grid has more cells than the deployment allows: the caller's setting.</summary>
    public static ReductionException MaxCells(BlobPath input, string reason, int maxCells) =>
        new(ErrorClass.Caller, ErrorCodes.MaxCells, $"{input}: {reason} (ImageReducer__MaxCells = {maxCells})");

    /// <summary>The exposure has more pixels than the deployment accepts: a valid input this deployment cannot take.</summary>
    public static ReductionException MaxPixels(BlobPath input, Box box, long maxPixels) => new(ErrorClass.UnsuitableInput, ErrorCodes.MaxPixels,
        $"{input} is {box.Width} x {box.Height} = {box.Area} pixels; the limit is {maxPixels} (ImageReducer__MaxPixels)");

    /// <summary>The input was replaced after the run was planned.</summary>
    public static ReductionException InputChanged(BlobPath input, string runId, string plannedETag, string currentETag) => new(ErrorClass.Conflict,
        ErrorCodes.InputChanged, $"{input} changed since run {runId} was planned (ETag {plannedETag} → {currentETag}); start a new run");

    /// <summary>
    /// Another run published <paramref name="output"/> after run <paramref name="runId"/> was planned (or right after this
    /// run committed it): this run's result is not the output, and nothing of it was mixed in.
    /// </summary>
    public static ReductionException OutputChanged(BlobPath output, string runId, string? expectedETag, string? currentETag, string when) =>
        OutputChanged(output?.ToString() ?? "", runId, expectedETag, currentETag, when);

    /// <summary>The same for an output named by a path (a local file the CLI publishes).</summary>
    public static ReductionException OutputChanged(string output, string runId, string? expectedETag, string? currentETag, string when) => new(
        ErrorClass.Conflict, ErrorCodes.OutputChanged,
        $"{output} changed under run {runId}: another run published it {when} (ETag {expectedETag ?? "none"} → {currentETag ?? "unknown"}); " +
        "this run's result was not published (concurrent runs to one output never mix: the first to commit wins). Rerun to replace it");

    /// <summary>The mapper's results do not give what the reduce operation needs (no PSF for <c>coaddPsf</c>): the caller's choice.</summary>
    public static ReductionException ReduceMismatch(string message) => new(ErrorClass.Caller, ErrorCodes.ReduceMismatch, message);

    /// <summary>The run's plan, tiles or stored results disagree with each other (a defect, or work blobs changed by someone else).</summary>
    public static ReductionException Inconsistent(string message) => new(ErrorClass.Internal, ErrorCodes.InconsistentRun, message);
}
