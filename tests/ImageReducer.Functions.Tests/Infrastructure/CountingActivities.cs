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
public sealed class CountingActivities(IWorkflowActivities inner, Action<string, object> count, Func<TileTask, Task> beforeMapTile) : IWorkflowActivities
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

    public Task<BlobPath?> QuarantineAsync(QuarantineRequest request, CancellationToken cancellationToken = default)
    {
        count(WorkflowNames.Quarantine, request.Input);
        return inner.QuarantineAsync(request, cancellationToken);
    }

    public Task<NightExposure[]> ListNightAsync(NightRequest request, CancellationToken cancellationToken = default)
    {
        count(WorkflowNames.ListNight, request.Prefix);
        return inner.ListNightAsync(request, cancellationToken);
    }

    public Task<BlobPath> WriteNightReportAsync(NightReport report, CancellationToken cancellationToken = default)
    {
        count(WorkflowNames.WriteNightReport, report.Night.Prefix);
        return inner.WriteNightReportAsync(report, cancellationToken);
    }
}
