using ImageReducer.Workflow.Nights;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Durable;

/// <summary>
/// Every activity of the workflow: the exposure steps and the two night steps. What
/// <see cref="WorkflowRegistration"/> registers (by <see cref="WorkflowNames"/>) and what the
/// orchestrations call through <see cref="ActivityCalls"/>; <see cref="ReductionActivities"/> holds the
/// bodies, and a host may wrap them (a test host counts calls and injects faults that way).
/// </summary>
public interface IWorkflowActivities : IReductionSteps
{
    /// <summary>Lists the exposures of a night.</summary>
    Task<NightExposure[]> ListNightAsync(NightRequest request, CancellationToken cancellationToken = default);

    /// <summary>Writes a night's report; returns its path.</summary>
    Task<BlobPath> WriteNightReportAsync(NightReport report, CancellationToken cancellationToken = default);
}
