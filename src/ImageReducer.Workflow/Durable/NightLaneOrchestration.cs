using ImageReducer.Workflow.Api;
using ImageReducer.Workflow.Nights;
using Microsoft.DurableTask;

namespace ImageReducer.Workflow.Durable;

/// <summary>
/// The <c>ReduceNightLane</c> orchestration: one lane of a night runs its batches (<see cref="NightLane.Lane"/>,
/// + lanes, …) one after the other as <c>ReduceNightBatch</c> sub-orchestrations and returns their sums. It continues as
/// new when its history budget runs low; between two batches nothing is in flight, so that costs no idle time.
/// </summary>
public static class NightLaneOrchestration
{
    /// <summary>Runs (or continues) one lane; returns its sums (null from an execution that continued as new).</summary>
    public static async Task<NightTotals> RunAsync(TaskOrchestrationContext context, NightLane lane)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(lane);
        string night = lane.Night.InstanceId ?? throw new ArgumentException("The lane's night has no instance id.", nameof(lane));
        var budget = new HistoryBudget();
        while (lane.Next < lane.Batches)
        {
            if (!budget.TrySpend(HistoryBudget.PerTask))
            {
                context.ContinueAsNew(lane);
                return null!;
            }
            // Which batch is running, so that a reader of the night's progress can add the exposures that batch has done.
            context.SetCustomStatus(LaneStatus(lane) with { CurrentBatch = lane.Next });
            NightTotals batch = await context.CallSubOrchestratorAsync<NightTotals>(WorkflowNames.ReduceNightBatch,
                new NightBatch(lane.Night, lane.Next, lane.Window),
                new SubOrchestrationOptions { InstanceId = NightLayout.BatchInstance(night, lane.Next) });
            lane = lane with { Next = lane.Next + lane.Lanes, Totals = lane.Totals.Add(batch) };
            context.SetCustomStatus(LaneStatus(lane));
        }
        return lane.Totals;
    }

    /// <summary>A lane's status: the exposures and batches it has finished.</summary>
    private static ReductionProgress LaneStatus(NightLane lane) =>
        new("reducing", lane.Totals.Exposures, 0, Failed: lane.Totals.Failed)
        {
            BatchesDone = (lane.Next - lane.Lane) / lane.Lanes, Skipped = lane.Totals.Skipped,
        };
}
