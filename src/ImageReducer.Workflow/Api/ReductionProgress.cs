using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Api;

/// <summary>The custom status of a <c>ReduceExposure</c> instance.</summary>
/// <param name="Phase"><c>planning</c>, <c>mapping</c>, <c>reducing</c>, <c>succeeded</c> or <c>failed</c>.</param>
/// <param name="TilesDone">MapTile activities finished.</param>
/// <param name="TilesTotal">MapTile activities in the plan.</param>
/// <param name="Output">The output blob, once known.</param>
/// <param name="Error">Why the run failed (<c>Class (Code): message</c>), when it did.</param>
/// <param name="Failed">For a night: exposures finished without an output so far (the report names them).</param>
public sealed record ReductionProgress(string Phase, int TilesDone, int TilesTotal, BlobPath? Output = null, string? Error = null, int Failed = 0);
