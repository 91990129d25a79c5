using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Nights;

/// <summary>The report of a night (a JSON blob, <see cref="NightSteps.ReportPath"/>).</summary>
/// <param name="Night">What was asked.</param>
/// <param name="Started">When the night's orchestration started (UTC).</param>
/// <param name="Finished">When the last exposure ended (UTC).</param>
/// <param name="Succeeded">Exposures reduced.</param>
/// <param name="Failed">Exposures that failed.</param>
/// <param name="Exposures">Per exposure, in name order.</param>
public sealed record NightReport(NightRequest Night, DateTime Started, DateTime Finished, int Succeeded, int Failed, NightReportEntry[] Exposures);
