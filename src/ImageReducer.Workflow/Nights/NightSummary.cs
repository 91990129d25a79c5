using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Nights;

/// <summary>The summary of a night (<c>&lt;outputPrefix&gt;night-summary.json</c>); the per-exposure lines are in <see cref="Report"/>.</summary>
/// <param name="InstanceId">The night's orchestration instance.</param>
/// <param name="Container">Container of the exposures.</param>
/// <param name="Prefix">Their name prefix.</param>
/// <param name="OutputContainer">Container of the outputs.</param>
/// <param name="OutputPrefix">Name prefix of the outputs.</param>
/// <param name="Started">When the night started (UTC, orchestration time).</param>
/// <param name="Finished">When its last batch ended.</param>
/// <param name="WallSeconds">Finished − started.</param>
/// <param name="Batches">Batches run.</param>
/// <param name="Exposures">Exposures listed.</param>
/// <param name="Succeeded">Reduced by this run.</param>
/// <param name="Failed">Ended without an output (the report says why).</param>
/// <param name="Skipped">Already done from the same run inputs (a resumed night).</param>
/// <param name="InputBytes">Bytes of the inputs reduced.</param>
/// <param name="OutputBytes">Bytes of the outputs written.</param>
/// <param name="ActivitySeconds">Seconds the exposures' activities ran, summed (what a consumption plan bills, per instance-second).</param>
/// <param name="ExposuresPerSecond">Exposures finished (succeeded or failed) per wall-clock second.</param>
/// <param name="Report">The per-exposure report (JSON Lines, one <see cref="NightReportEntry"/> per line, by batch then input name).</param>
public sealed record NightSummary(string? InstanceId, string Container, string Prefix, string OutputContainer, string OutputPrefix,
    DateTime Started, DateTime Finished, double WallSeconds, int Batches, int Exposures, int Succeeded, int Failed, int Skipped,
    long InputBytes, long OutputBytes, double ActivitySeconds, double ExposuresPerSecond, BlobPath Report);
