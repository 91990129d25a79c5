using ImageReducer.Engine.Errors;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Reduction;

/// <summary>What the plan step returns through Durable: a reference to the stored plan and its size, or why it failed.</summary>
/// <param name="RunId">The run id (null on failure before it is known).</param>
/// <param name="Plan">Where the plan is stored (null on failure).</param>
/// <param name="TileCount">Tiles to map.</param>
/// <param name="CellCount">Cells in the grid.</param>
/// <param name="InputBytesRead">Bytes of the input the plan step downloaded (headers and PSF only).</param>
/// <param name="Error">A domain error (bad input, bad config, limit exceeded): the run stops without retrying.</param>
public sealed record PlanSummary(string? RunId, BlobPath? Plan, int TileCount, int CellCount, long InputBytesRead, string? Error = null)
{
    /// <summary>Wall time of the plan activity, in seconds (0 when not measured).</summary>
    public double Seconds { get; init; }

    /// <summary>The domain error, classified (set with <see cref="Error"/> by <see cref="Failed"/>).</summary>
    public ErrorInfo? ErrorDetail { get; init; }

    /// <summary>What the FITS reader tolerated in the input's headers (docs/errors.md, "Strictness"), one message each.</summary>
    public string[] InputWarnings { get; init; } = [];

    /// <summary>True when planning succeeded.</summary>
    public bool Succeeded => Error is null;

    /// <summary>The summary of a plan that failed with <paramref name="error"/>.</summary>
    public static PlanSummary Failed(ErrorInfo error)
    {
        error = ErrorText.Cap(error ?? throw new ArgumentNullException(nameof(error)));
        return new PlanSummary(null, null, 0, 0, 0, error.ToString()) { ErrorDetail = error };
    }
}
