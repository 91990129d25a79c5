using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Api;

/// <summary>The custom status of a <c>ReduceExposure</c> instance, and of a night and its lanes and batches.</summary>
/// <param name="Phase"><c>planning</c>, <c>mapping</c>, <c>reducing</c>, <c>succeeded</c> or <c>failed</c> (a night also <c>listing</c> and <c>finishing</c>).</param>
/// <param name="TilesDone">MapTile activities finished (for a night: exposures finished).</param>
/// <param name="TilesTotal">MapTile activities in the plan (for a night: exposures listed).</param>
/// <param name="Output">The output blob, once known (for a night: its summary).</param>
/// <param name="Error">Why the run failed (<c>Class (Code): message</c>), when it did.</param>
/// <param name="Failed">For a night: exposures finished without an output so far (the report names them).</param>
public sealed record ReductionProgress(string Phase, int TilesDone, int TilesTotal, BlobPath? Output = null, string? Error = null, int Failed = 0)
{
    /// <summary>For a night: batches listed so far (all of them once listing is done).</summary>
    public int Batches { get; init; }

    /// <summary>For a night: batches finished.</summary>
    public int BatchesDone { get; init; }

    /// <summary>For a night: exposures skipped because their output already existed from the same run inputs.</summary>
    public int Skipped { get; init; }

    /// <summary>For a night in its reducing phase: its lanes (<c>&lt;night&gt;-laneNNN</c>), whose statuses count the batches and exposures done.</summary>
    public int Lanes { get; init; }

    /// <summary>For a lane: the batch it is running (<c>&lt;night&gt;-bNNNNNN</c>, whose status counts that batch's exposures done); null between batches.</summary>
    public int? CurrentBatch { get; init; }
}
