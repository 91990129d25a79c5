using ImageReducer.Functions.Activities;
using ImageReducer.Functions.Observability;
using ImageReducer.Workflow.Reduction;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace ImageReducer.Functions.Orchestration;

/// <summary>
/// The <c>ReduceExposure</c> orchestration: Plan → MapTile fan-out → Reduce → summary. Replay-safe:
/// no I/O, clock, random or configuration here; only activity calls, the replay-safe logger and the
/// custom status (tiles done / total). Activities return small records; pixels stay in blob storage.
/// </summary>
/// <remarks>
/// Tiles are fanned out with at most <see cref="TileWindow"/> in flight (refilled as each ends), so a
/// plan of thousands of tiles does not flood the queues; results are kept in tile order. Activity
/// calls retry transient faults with back-off, a few times; domain errors come back as failure
/// records and are not retried.
/// </remarks>
public static class ReduceExposureOrchestration
{
    /// <summary>Most MapTile activities in flight per exposure.</summary>
    public const int TileWindow = 256;

    /// <summary>Retry for transient faults: 4 attempts, 1 s then doubling, at most 30 s apart.</summary>
    public static TaskOptions Retry { get; } = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 4, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromSeconds(30)));

    /// <summary>Runs one exposure.</summary>
    public static async Task<ReductionSummary> RunAsync(TaskOrchestrationContext context, ReductionRequest request)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        ILogger log = context.CreateReplaySafeLogger(typeof(ReduceExposureOrchestration).FullName!);
        string id = context.InstanceId, exposure = request.Input.ToString();
        context.SetCustomStatus(new ReductionProgress("planning", 0, 0));
        PlanSummary plan = await context.CallActivityAsync<PlanSummary>(FunctionNames.Plan, request with { InstanceId = id }, Retry);
        if (!plan.Succeeded)
        {
            OrchestrationLog.Rejected(log, id, exposure, plan.Error!);
            await context.CallActivityAsync<Workflow.Storage.BlobPath?>(FunctionNames.Quarantine,
                // A summary recorded before ErrorDetail existed (a replayed history) has only the text.
                new QuarantineRequest(request.Input, plan.ErrorDetail ?? new DomainError("Error", null, plan.Error!)) { InstanceId = id }, Retry);
            context.SetCustomStatus(new ReductionProgress("failed", 0, 0, Error: plan.Error));
            return ReductionSummary.Failed(null, request.Input, plan.Error!);
        }

        int total = plan.TileCount, done = 0;
        OrchestrationLog.Planned(log, id, exposure, plan.RunId, total, plan.CellCount);
        context.SetCustomStatus(new ReductionProgress("mapping", 0, total));
        var tiles = new TileResult[total];
        var inFlight = new Dictionary<Task<TileResult>, int>();
        int next = 0;
        while (done < total)
        {
            while (next < total && inFlight.Count < TileWindow)
            {
                inFlight.Add(context.CallActivityAsync<TileResult>(FunctionNames.MapTile, new TileTask(plan.Plan!, next) { InstanceId = id, Input = request.Input }, Retry), next);
                next++;
            }
            Task<TileResult> finished = await Task.WhenAny(inFlight.Keys);
            tiles[inFlight[finished]] = await finished;
            inFlight.Remove(finished);
            done++;
            context.SetCustomStatus(new ReductionProgress("mapping", done, total));
        }

        context.SetCustomStatus(new ReductionProgress("reducing", total, total));
        var reduceTask = new ReduceTask(plan.Plan!, tiles) { InstanceId = id, Input = request.Input, PlanSeconds = plan.Seconds, PlanBytesRead = plan.InputBytesRead };
        ReductionSummary summary = await context.CallActivityAsync<ReductionSummary>(FunctionNames.Reduce, reduceTask, Retry);
        if (summary.Status == ReductionStatus.Succeeded)
        {
            OrchestrationLog.Succeeded(log, id, exposure, summary.Output?.ToString(), summary.OutputBytes);
        }
        else
        {
            OrchestrationLog.Failed(log, id, exposure, summary.Error);
            // A tile that found the input corrupt (a bad plane, mask or card only the pixel read meets) condemns the input
            // too, and so does the reduce step when the tiles' sums show a data unit that fails its DATASUM/CHECKSUM.
            if ((tiles.FirstOrDefault(t => t.ErrorDetail is { IsBadInput: true })?.ErrorDetail
                 ?? (summary.ErrorDetail is { IsBadInput: true } reduced ? reduced : null)) is { } bad)
                await context.CallActivityAsync<Workflow.Storage.BlobPath?>(FunctionNames.Quarantine,
                    new QuarantineRequest(request.Input, bad, plan.RunId) { InstanceId = id }, Retry);
        }
        context.SetCustomStatus(new ReductionProgress(summary.Status == ReductionStatus.Succeeded ? "succeeded" : "failed", total, total, summary.Output, summary.Error));
        return summary;
    }
}
