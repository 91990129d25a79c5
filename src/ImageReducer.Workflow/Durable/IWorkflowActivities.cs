using ImageReducer.Workflow.Nights;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Durable;

/// <summary>
/// Every activity of the workflow: the exposure steps and the night's steps. What
/// <see cref="WorkflowRegistration"/> registers (by <see cref="WorkflowNames"/>) and what the
/// orchestrations call through <see cref="ActivityCalls"/>; <see cref="ReductionActivities"/> holds the
/// bodies, and a host may wrap them (a test host counts calls and injects faults that way).
/// </summary>
public interface IWorkflowActivities : IReductionSteps
{
    /// <summary>Lists one page of a night into batch manifests.</summary>
    Task<NightPage> ListNightPageAsync(NightPageRequest request, CancellationToken cancellationToken = default);

    /// <summary>Reads a chunk of a batch manifest, each exposure with its output and whether it is already done.</summary>
    Task<NightChunk> ReadNightChunkAsync(NightChunkRequest request, CancellationToken cancellationToken = default);

    /// <summary>Writes a part of a batch's report, then purges the recorded exposures' instances when the night asks for it; returns how many were purged.</summary>
    Task<int> RecordBatchPartAsync(BatchPart part, CancellationToken cancellationToken = default);

    /// <summary>Merges a night's report, writes its summary and removes its intermediates; returns the summary.</summary>
    Task<NightSummary> FinishNightAsync(NightFinish finish, CancellationToken cancellationToken = default);
}
