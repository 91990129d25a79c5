using ImageReducer.Workflow.Observability;
using ImageReducer.Workflow.Reduction;
using Microsoft.Extensions.Logging;
using ImageReducer.Workflow.Api;

namespace ImageReducer.Workflow.Durable;

/// <summary>
/// Where one exposure's reduction is decided, written once for every host: with a whole or auto
/// <see cref="ReductionRequest.Flow"/>, first the one whole-exposure step (which quarantines a bad input itself), and when
/// it declines (auto, over the memory budget) or the flow is tiled: Plan → MapTile fan-out (a
/// bounded window, refilled as each tile ends; results kept in tile order) → Reduce; a rejected input, or a
/// tile or reduce that finds it corrupt (<see cref="Engine.Errors.ErrorClass.BadInput"/>), is quarantined; a run refused for the
/// caller's settings is not. The Durable orchestration runs it over
/// <see cref="ActivityCalls"/>; <see cref="TiledReduction"/> (<c>imred run --tile-size</c>) runs it over the
/// activity bodies in this process.
/// </summary>
/// <remarks>
/// Replay-safe by construction: no I/O, clock, random or configuration here, only the step calls, the
/// given logger (replay-safe under Durable) and <see cref="ExposureFlowHost.Report"/>.
/// </remarks>
public static class ReduceExposureFlow
{
    /// <summary>Runs one exposure through <paramref name="steps"/>.</summary>
    public static async Task<ReductionSummary> RunAsync(IReductionSteps steps, ReductionRequest request, ExposureFlowHost host)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(host);
        ILogger log = host.Log;
        string? id = host.InstanceId;
        string exposure = request.Input.ToString();
        if (ExposureFlowPolicy.TriesWhole(request.Flow ?? ExposureFlow.Tiled))
        {
            // One work item for the whole exposure; it declines (no summary) only for an auto flow over the memory budget.
            host.Report(new ReductionProgress("reducing", 0, 1));
            WholeExposureResult whole = await steps.ReduceWholeAsync(new WholeExposureTask(request with { InstanceId = id }) { Quarantine = true });
            if (whole.Summary is { } reduced)
            {
                if (reduced.Status == ReductionStatus.Succeeded) OrchestrationLog.Succeeded(log, id ?? "", exposure, reduced.Output?.ToString(), reduced.OutputBytes);
                else OrchestrationLog.Failed(log, id ?? "", exposure, reduced.Error);
                host.Report(new ReductionProgress(reduced.Status == ReductionStatus.Succeeded ? "succeeded" : "failed", 1, 1, reduced.Output, reduced.Error));
                return reduced;
            }
        }
        host.Report(new ReductionProgress("planning", 0, 0));
        PlanSummary plan = await steps.PlanAsync(request with { InstanceId = id });
        if (!plan.Succeeded)
        {
            OrchestrationLog.Rejected(log, id ?? "", exposure, plan.Error!);
            // Only an input that is itself bad goes to quarantine; a plan refused for the caller's settings (a tile size
            // over MaxTiles, a configuration out of range) or for a valid input it cannot use just fails the run.
            if (DomainErrors.Quarantines(plan.ErrorDetail))
                await steps.QuarantineAsync(new QuarantineRequest(request.Input, plan.ErrorDetail!) { InstanceId = id });
            host.Report(new ReductionProgress("failed", 0, 0, Error: plan.Error));
            return ReductionSummary.Failed(null, request.Input, plan.ErrorDetail!);
        }

        int total = plan.TileCount, done = 0;
        OrchestrationLog.Planned(log, id ?? "", exposure, plan.RunId, total, plan.CellCount);
        host.Report(new ReductionProgress("mapping", 0, total));
        // Only what the flow decides on is kept (a tile that found the input bad); the tiles' results are recorded
        // in storage for the reduce step, so nothing here grows with the tile count.
        Engine.Errors.ErrorInfo? badInput = null;
        int badTile = int.MaxValue;
        var inFlight = new HashSet<Task<TileResult>>();
        int next = 0, window = Math.Max(1, host.TileWindow);
        while (done < total)
        {
            while (next < total && inFlight.Count < window)
            {
                inFlight.Add(steps.MapTileAsync(new TileTask(plan.Plan!, next) { InstanceId = id, Input = request.Input }));
                next++;
            }
            Task<TileResult> finished = await Task.WhenAny(inFlight);
            inFlight.Remove(finished);
            TileResult tile = await finished;
            if (DomainErrors.Quarantines(tile.ErrorDetail) && (badInput is null || tile.Index < badTile))
                (badInput, badTile) = (tile.ErrorDetail, tile.Index);
            done++;
            host.Report(new ReductionProgress("mapping", done, total));
        }

        host.Report(new ReductionProgress("reducing", total, total));
        var reduceTask = new ReduceTask(plan.Plan!, total) { InstanceId = id, Input = request.Input, PlanSeconds = plan.Seconds, PlanBytesRead = plan.InputBytesRead };
        ReductionSummary summary = await steps.ReduceAsync(reduceTask);
        if (summary.Status == ReductionStatus.Succeeded)
        {
            OrchestrationLog.Succeeded(log, id ?? "", exposure, summary.Output?.ToString(), summary.OutputBytes);
        }
        else
        {
            OrchestrationLog.Failed(log, id ?? "", exposure, summary.Error);
            // A tile that found the input corrupt (a bad plane, mask or card only the pixel read meets) condemns the input
            // too, and so does the reduce step when the tiles' sums show a data unit that fails its DATASUM/CHECKSUM.
            if ((badInput ?? (DomainErrors.Quarantines(summary.ErrorDetail) ? summary.ErrorDetail : null)) is { } bad)
                await steps.QuarantineAsync(new QuarantineRequest(request.Input, bad, plan.RunId) { InstanceId = id });
        }
        host.Report(new ReductionProgress(summary.Status == ReductionStatus.Succeeded ? "succeeded" : "failed", total, total, summary.Output, summary.Error));
        return summary;
    }
}

/// <summary>What a host gives <see cref="ReduceExposureFlow"/> besides the steps.</summary>
/// <param name="InstanceId">The orchestration instance (for logs and the activities' log scopes); null in-process.</param>
/// <param name="Log">Where the flow's records go (the replay-safe logger under Durable).</param>
/// <param name="Report">Receives each change of progress (the custom status under Durable).</param>
/// <param name="TileWindow">Most MapTile steps in flight (≥ 1).</param>
public sealed record ExposureFlowHost(string? InstanceId, ILogger Log, Action<ReductionProgress> Report, int TileWindow);
