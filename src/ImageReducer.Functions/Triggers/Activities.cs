using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Nights;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using ImageReducer.Functions.Durable;

namespace ImageReducer.Functions.Triggers;

/// <summary>The activity entry points; bodies in <see cref="ReductionActivities"/>.</summary>
public sealed class Activities(ReductionActivities activities)
{
    [Function(WorkflowNames.Plan)]
    public Task<PlanSummary> Plan([ActivityTrigger] ReductionRequest request, FunctionContext context) =>
        activities.PlanAsync(request, context.CancellationToken);

    [Function(WorkflowNames.MapTile)]
    public Task<TileResult> MapTile([ActivityTrigger] TileTask task, FunctionContext context) =>
        activities.MapTileAsync(task, context.CancellationToken);

    [Function(WorkflowNames.Reduce)]
    public Task<ReductionSummary> Reduce([ActivityTrigger] ReduceTask task, FunctionContext context) =>
        activities.ReduceAsync(task, context.CancellationToken);

    [Function(WorkflowNames.ReduceExposureWhole)]
    public Task<WholeExposureResult> ReduceExposureWhole([ActivityTrigger] WholeExposureTask task, FunctionContext context) =>
        activities.ReduceWholeAsync(task, context.CancellationToken);

    [Function(WorkflowNames.Quarantine)]
    public Task<BlobPath?> Quarantine([ActivityTrigger] QuarantineRequest request, FunctionContext context) =>
        activities.QuarantineAsync(request, context.CancellationToken);

    [Function(WorkflowNames.ListNightPage)]
    public Task<NightPage> ListNightPage([ActivityTrigger] NightPageRequest request, FunctionContext context) =>
        activities.ListNightPageAsync(request, context.CancellationToken);

    [Function(WorkflowNames.ReadNightChunk)]
    public Task<NightChunk> ReadNightChunk([ActivityTrigger] NightChunkRequest request, FunctionContext context) =>
        activities.ReadNightChunkAsync(request, context.CancellationToken);

    /// <summary>Records a batch part; the recorded exposures are purged through this invocation's Durable client.</summary>
    [Function(WorkflowNames.RecordBatchPart)]
    public Task<int> RecordBatchPart([ActivityTrigger] BatchPart part, [DurableClient] DurableTaskClient client, FunctionContext context) =>
        activities.RecordBatchPartAsync(part, new DurableClientPurger(client), context.CancellationToken);

    [Function(WorkflowNames.FinishNight)]
    public Task<NightSummary> FinishNight([ActivityTrigger] NightFinish finish, FunctionContext context) =>
        activities.FinishNightAsync(finish, context.CancellationToken);
}
