using ImageReducer.Engine.Errors;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Reduction;

/// <summary>The outcome of a reduction (the orchestrator's output and the CLI's report).</summary>
/// <param name="RunId">The run id, when planning got that far.</param>
/// <param name="Input">The input exposure.</param>
/// <param name="Status">Succeeded or failed.</param>
/// <param name="Output">The output blob (null on failure).</param>
/// <param name="Metadata">The metadata JSON blob (null on failure).</param>
/// <param name="OutputBytes">Length of the output.</param>
/// <param name="Tiles">Tiles mapped.</param>
/// <param name="Cells">Cells in the grid.</param>
/// <param name="ReduceBytesRead">Bytes the reduce step downloaded (headers, PSF, side results; never pixels).</param>
/// <param name="Error">Why it failed.</param>
public sealed record ReductionSummary(
    string? RunId, BlobPath Input, ReductionStatus Status, BlobPath? Output, BlobPath? Metadata,
    long OutputBytes, int Tiles, int Cells, long ReduceBytesRead, string? Error = null)
{
    /// <summary>SHA-256 (lowercase hex) of the output, when computed (see <see cref="ReductionMetadata.OutputSha256"/>).</summary>
    public string? OutputSha256 { get; init; }

    /// <summary>Seconds the run's activities ran: plan + every tile + reduce (what an instance is busy for; a night sums it).</summary>
    public double ActivitySeconds { get; init; }

    /// <summary>Seconds the reduce step spent reading an exposure output back to hash it.</summary>
    public double OutputHashSeconds { get; init; }

    /// <summary>
    /// The failure, classified: its class decides the exit code, the HTTP status and the quarantine (a failed tile's
    /// class when tiles failed; the reduce step's own error otherwise).
    /// </summary>
    public ErrorInfo? ErrorDetail { get; init; }

    /// <summary>A failure summary; <see cref="Error"/> is <paramref name="error"/>'s one-line form.</summary>
    public static ReductionSummary Failed(string? runId, BlobPath input, ErrorInfo error, int tiles = 0, int cells = 0)
    {
        error = ErrorText.Cap(error ?? throw new ArgumentNullException(nameof(error)));
        return new(runId, input, ReductionStatus.Failed, null, null, 0, tiles, cells, 0, error.ToString()) { ErrorDetail = error };
    }
}
