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
    /// <inheritdoc/>
    public Task<PlanSummary> PlanAsync(ReductionRequest request, CancellationToken cancellationToken = default) =>
        Call<PlanSummary>(WorkflowNames.Plan, request);

    /// <inheritdoc/>
    public Task<TileResult> MapTileAsync(TileTask task, CancellationToken cancellationToken = default) =>
        Call<TileResult>(WorkflowNames.MapTile, task);

    /// <inheritdoc/>
    public Task<ReductionSummary> ReduceAsync(ReduceTask task, CancellationToken cancellationToken = default) =>
        Call<ReductionSummary>(WorkflowNames.Reduce, task);

    /// <inheritdoc/>
    public Task<WholeExposureResult> ReduceWholeAsync(WholeExposureTask task, CancellationToken cancellationToken = default) =>
        Call<WholeExposureResult>(WorkflowNames.ReduceExposureWhole, task);

    /// <inheritdoc/>
    public Task<BlobPath?> QuarantineAsync(QuarantineRequest request, CancellationToken cancellationToken = default) =>
        Call<BlobPath?>(WorkflowNames.Quarantine, request);

    /// <inheritdoc/>
    public Task<NightPage> ListNightPageAsync(NightPageRequest request, CancellationToken cancellationToken = default) =>
        Call<NightPage>(WorkflowNames.ListNightPage, request);

    /// <inheritdoc/>
    public Task<NightChunk> ReadNightChunkAsync(NightChunkRequest request, CancellationToken cancellationToken = default) =>
        Call<NightChunk>(WorkflowNames.ReadNightChunk, request);

    /// <inheritdoc/>
    public Task<int> RecordBatchPartAsync(BatchPart part, CancellationToken cancellationToken = default) =>
        Call<int>(WorkflowNames.RecordBatchPart, part);

    /// <inheritdoc/>
    public Task<NightSummary> FinishNightAsync(NightFinish finish, CancellationToken cancellationToken = default) =>
        Call<NightSummary>(WorkflowNames.FinishNight, finish);

    /// <summary>Schedules activity <paramref name="name"/> with the workflow's retry policy; the one call every method above makes.</summary>
    private Task<TResult> Call<TResult>(string name, object input) =>
        context.CallActivityAsync<TResult>(name, input, ReduceExposureOrchestration.Retry);
}
