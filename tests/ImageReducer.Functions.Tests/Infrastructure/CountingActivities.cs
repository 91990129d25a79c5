using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Nights;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Functions.Tests.Infrastructure;

/// <summary>
/// The activity bodies with the test host's hooks around them: each execution (retries included) is
/// counted by name and subject, MapTile meets the fault injector and <c>BeforeMapTile</c> first.
/// </summary>
/// <param name="inner">The app's activity bodies.</param>
/// <param name="count">Receives (activity name, subject) before each execution.</param>
/// <param name="beforeMapTile">Runs before each MapTile (may throw a transient fault).</param>
/// <param name="purger">The host's purger, once it has a Durable client (null: none).</param>
public sealed class CountingActivities(IWorkflowActivities inner, Action<string, object> count, Func<TileTask, Task> beforeMapTile,
    Func<IInstancePurger?>? purger = null) : IWorkflowActivities
{
    public Task<PlanSummary> PlanAsync(ReductionRequest request, CancellationToken cancellationToken = default)
    {
        count(WorkflowNames.Plan, request.Input);
        return inner.PlanAsync(request, cancellationToken);
    }

    public async Task<TileResult> MapTileAsync(TileTask task, CancellationToken cancellationToken = default)
    {
        count(WorkflowNames.MapTile, task.Plan);
        await beforeMapTile(task);
        return await inner.MapTileAsync(task, cancellationToken);
    }

    public Task<ReductionSummary> ReduceAsync(ReduceTask task, CancellationToken cancellationToken = default)
    {
        count(WorkflowNames.Reduce, task.Plan);
        return inner.ReduceAsync(task, cancellationToken);
    }

    public Task<WholeExposureResult> ReduceWholeAsync(WholeExposureTask task, CancellationToken cancellationToken = default)
    {
        count(WorkflowNames.ReduceExposureWhole, task.Request.Input);
        return inner.ReduceWholeAsync(task, cancellationToken);
    }

    public Task<BlobPath?> QuarantineAsync(QuarantineRequest request, CancellationToken cancellationToken = default)
    {
        count(WorkflowNames.Quarantine, request.Input);
        return inner.QuarantineAsync(request, cancellationToken);
    }

    public Task<NightPage> ListNightPageAsync(NightPageRequest request, CancellationToken cancellationToken = default)
    {
        count(WorkflowNames.ListNightPage, request.Night.Prefix);
        return inner.ListNightPageAsync(request, cancellationToken);
    }

    public Task<NightChunk> ReadNightChunkAsync(NightChunkRequest request, CancellationToken cancellationToken = default)
    {
        count(WorkflowNames.ReadNightChunk, request.Night.Prefix);
        return inner.ReadNightChunkAsync(request, cancellationToken);
    }

    public Task<int> RecordBatchPartAsync(BatchPart part, CancellationToken cancellationToken = default)
    {
        count(WorkflowNames.RecordBatchPart, part.Night.Prefix);
        // The app's bodies purge through the host's Durable client, as the Functions entry point does through its binding.
        return inner is ReductionActivities app && purger?.Invoke() is { } p
            ? app.RecordBatchPartAsync(part, p, cancellationToken)
            : inner.RecordBatchPartAsync(part, cancellationToken);
    }

    public Task<NightSummary> FinishNightAsync(NightFinish finish, CancellationToken cancellationToken = default)
    {
        count(WorkflowNames.FinishNight, finish.Night.Prefix);
        return inner.FinishNightAsync(finish, cancellationToken);
    }
}
