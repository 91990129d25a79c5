using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Nights;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using Microsoft.Azure.Functions.Worker;

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

    [Function(WorkflowNames.Quarantine)]
    public Task<BlobPath?> Quarantine([ActivityTrigger] QuarantineRequest request, FunctionContext context) =>
        activities.QuarantineAsync(request, context.CancellationToken);

    [Function(WorkflowNames.ListNight)]
    public Task<NightExposure[]> ListNight([ActivityTrigger] NightRequest night, FunctionContext context) =>
        activities.ListNightAsync(night, context.CancellationToken);

    [Function(WorkflowNames.WriteNightReport)]
    public Task<BlobPath> WriteNightReport([ActivityTrigger] NightReport report, FunctionContext context) =>
        activities.WriteNightReportAsync(report, context.CancellationToken);
}
