using ImageReducer.Workflow.Nights;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using Microsoft.DurableTask;

namespace ImageReducer.Workflow.Durable;

/// <summary>
/// The activities as an orchestration calls them: each method schedules the activity of that name
/// (<see cref="WorkflowNames"/>) with <see cref="ReduceExposureOrchestration.Retry"/> and returns its recorded result, so it is
/// replay-safe. Cancellation tokens are ignored: an orchestration cannot cancel a scheduled activity.
/// </summary>
public sealed class ActivityCalls(TaskOrchestrationContext context) : IWorkflowActivities
{
    private static TaskOptions Retry => ReduceExposureOrchestration.Retry;

    /// <inheritdoc/>
    public Task<PlanSummary> PlanAsync(ReductionRequest request, CancellationToken cancellationToken = default) =>
        context.CallActivityAsync<PlanSummary>(WorkflowNames.Plan, request, Retry);

    /// <inheritdoc/>
    public Task<TileResult> MapTileAsync(TileTask task, CancellationToken cancellationToken = default) =>
        context.CallActivityAsync<TileResult>(WorkflowNames.MapTile, task, Retry);

    /// <inheritdoc/>
    public Task<ReductionSummary> ReduceAsync(ReduceTask task, CancellationToken cancellationToken = default) =>
        context.CallActivityAsync<ReductionSummary>(WorkflowNames.Reduce, task, Retry);

    /// <inheritdoc/>
    public Task<BlobPath?> QuarantineAsync(QuarantineRequest request, CancellationToken cancellationToken = default) =>
        context.CallActivityAsync<BlobPath?>(WorkflowNames.Quarantine, request, Retry);

    /// <inheritdoc/>
    public Task<NightPage> ListNightPageAsync(NightPageRequest request, CancellationToken cancellationToken = default) =>
        context.CallActivityAsync<NightPage>(WorkflowNames.ListNightPage, request, Retry);

    /// <inheritdoc/>
    public Task<NightChunk> ReadNightChunkAsync(NightChunkRequest request, CancellationToken cancellationToken = default) =>
        context.CallActivityAsync<NightChunk>(WorkflowNames.ReadNightChunk, request, Retry);

    /// <inheritdoc/>
    public Task<int> RecordBatchPartAsync(BatchPart part, CancellationToken cancellationToken = default) =>
        context.CallActivityAsync<int>(WorkflowNames.RecordBatchPart, part, Retry);

    /// <inheritdoc/>
    public Task<NightSummary> FinishNightAsync(NightFinish finish, CancellationToken cancellationToken = default) =>
        context.CallActivityAsync<NightSummary>(WorkflowNames.FinishNight, finish, Retry);
}
