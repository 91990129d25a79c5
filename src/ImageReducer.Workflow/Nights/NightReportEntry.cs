using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Nights;

/// <summary>One exposure of a night report.</summary>
/// <param name="Input">The exposure.</param>
/// <param name="Status">Succeeded or failed.</param>
/// <param name="Started">When its reduction started (UTC, orchestration time).</param>
/// <param name="Finished">When it ended.</param>
/// <param name="Seconds">Finished − started.</param>
/// <param name="Output">The output blob, on success.</param>
/// <param name="Error">Why it failed.</param>
public sealed record NightReportEntry(BlobPath Input, ReductionStatus Status, DateTime Started, DateTime Finished, double Seconds,
    BlobPath? Output, string? Error);
