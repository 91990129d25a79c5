using ImageReducer.Workflow.Nights;
using ImageReducer.Workflow.Observability;
using ImageReducer.Workflow.Storage;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using ImageReducer.Workflow.Api;

namespace ImageReducer.Workflow.Durable;

/// <summary>
/// The <c>ReduceNight</c> orchestration, the top of a night's hierarchy: night → lanes → batches → exposures.
/// </summary>
/// <remarks>
/// <para>Listing: one <c>ListNightPage</c> activity per page of the store's listing writes that page's exposures as batch
/// manifests (a visit, or at most <see cref="NightRequest.BatchSize"/> exposures) and returns only counts and the
/// continuation; the night continues as new whenever its history budget (<see cref="HistoryBudget"/>) runs low, carrying
/// only a <see cref="NightCursor"/>.</para>
/// <para>Reducing: <see cref="NightLimits.Lanes"/> lanes (<see cref="NightLaneOrchestration"/>) share the batches and the
/// night-wide bound <see cref="NightRequest.MaxConcurrentExposures"/>; each lane runs its batches one after the other, so
/// nothing waits for a whole wave to drain. Finishing: <c>FinishNight</c> merges the batches' report parts into
/// <c>night-report.jsonl</c> and writes <c>night-summary.json</c>; the night's output is the summary's path.</para>
/// <para>Every payload is a fixed-size record or a chunk bounded in bytes (<see cref="NightLimits"/>): a night of 189,000
/// exposures passes the same sizes as a night of ten. Timings are orchestration time (replay-safe).</para>
/// </remarks>
public static class ReduceNightOrchestration
{
    /// <summary>Runs (or continues) one night; returns the summary's path (null from an execution that continued as new).</summary>
    public static async Task<BlobPath> RunAsync(TaskOrchestrationContext context, NightRequest night)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(night);
        ILogger log = context.CreateReplaySafeLogger(typeof(ReduceNightOrchestration).FullName!);
        NightCursor cursor = night.Cursor ?? new NightCursor(context.CurrentUtcDateTime, 0, null, false, 0, 0);
        NightRequest plain = night with { InstanceId = context.InstanceId, Cursor = null };
        string name = night.Container + "/" + night.Prefix;
        var activities = new ActivityCalls(context);
        var budget = new HistoryBudget();

        while (!cursor.Listed)
        {
            if (!budget.TrySpend(HistoryBudget.PerTask))
                return ContinueAsNew(context, plain, cursor);
            NightPage page = await activities.ListNightPageAsync(new NightPageRequest(plain, cursor.Pages, cursor.Continuation, cursor.Batches));
            cursor = cursor with
            {
                Pages = cursor.Pages + 1, Continuation = page.Continuation, Listed = page.Continuation is null,
                Batches = cursor.Batches + page.Batches, Exposures = cursor.Exposures + page.Exposures,
            };
            context.SetCustomStatus(new ReductionProgress("listing", 0, cursor.Exposures) { Batches = cursor.Batches });
        }
        OrchestrationLog.NightListed(log, context.InstanceId, name, cursor.Exposures);

        var (lanes, windows) = NightLimits.Lanes(plain.MaxConcurrentExposures, cursor.Batches);
        // The lanes and the finish must fit one execution: start it afresh when the listing used much of this one.
        if (!budget.CanSpend((lanes + 1) * HistoryBudget.PerTask))
            return ContinueAsNew(context, plain, cursor);
        context.SetCustomStatus(new ReductionProgress("reducing", 0, cursor.Exposures) { Batches = cursor.Batches, Lanes = lanes });
        var running = new List<Task<NightTotals>>(lanes);
        for (int lane = 0; lane < lanes; lane++)
        {
            budget.Spend(HistoryBudget.PerTask);
            running.Add(context.CallSubOrchestratorAsync<NightTotals>(WorkflowNames.ReduceNightLane,
                new NightLane(plain, lane, lanes, windows[lane], cursor.Batches, lane, NightTotals.Zero),
                new SubOrchestrationOptions { InstanceId = NightLayout.LaneInstance(context.InstanceId, lane) }));
        }
        NightTotals totals = NightTotals.Zero;
        foreach (NightTotals lane in await Task.WhenAll(running))
            totals = totals.Add(lane);

        DateTime finished = context.CurrentUtcDateTime;
        context.SetCustomStatus(Status("finishing", cursor, totals) with { BatchesDone = cursor.Batches });
        NightSummary summary = await activities.FinishNightAsync(new NightFinish(plain, cursor.Batches, cursor.Started, finished));
        // The final counts are the report's (FinishNight counts its lines), the same numbers as night-summary.json.
        totals = totals with { Exposures = summary.Exposures, Succeeded = summary.Succeeded, Failed = summary.Failed, Skipped = summary.Skipped };
        BlobPath path = NightLayout.Summary(plain);
        // The night itself completes either way; a caller (imred night --wait) reads Failed to tell a night with casualties.
        context.SetCustomStatus(totals.Failed == 0
            ? Status("succeeded", cursor, totals) with { Output = path, BatchesDone = cursor.Batches }
            : Status("failed", cursor, totals) with
            {
                Output = path, BatchesDone = cursor.Batches,
                Error = $"{totals.Failed} of {totals.Exposures} exposures failed; see the night report {summary.Report}",
            });
        OrchestrationLog.NightDone(log, context.InstanceId, name, summary.Report.ToString(), totals.Succeeded + totals.Skipped, totals.Failed);
        return path;
    }

    private static ReductionProgress Status(string phase, NightCursor cursor, NightTotals totals) =>
        new(phase, totals.Exposures, cursor.Exposures, Failed: totals.Failed) { Batches = cursor.Batches, Skipped = totals.Skipped };

    private static BlobPath ContinueAsNew(TaskOrchestrationContext context, NightRequest night, NightCursor cursor)
    {
        context.ContinueAsNew(night with { Cursor = cursor });
        return null!;
    }
}
