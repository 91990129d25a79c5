using ImageReducer.Workflow.Api;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Nights;
using ImageReducer.Workflow.Reduction;

namespace ImageReducer.Workflow.Tests.NightScale;

/// <summary>
/// The night's budgets at scale, on the in-memory Durable host with stub exposure steps (orchestration level only): every
/// payload the backend carries stays within <see cref="NightLimits.MaxPayloadBytes"/> and every orchestration execution's
/// history within <see cref="NightLimits.MaxHistoryEvents"/>, whatever the night's size, and the report and summary
/// account for every exposure.
/// </summary>
public class NightScaleTests
{
    [Fact]
    public async Task ReduceNight_TenThousandExposures_HoldsEveryBudgetAndReportsEachExposureOnce()
    {
        var options = new NightScaleOptions(10_000) { FailEvery = 1_000, Timeout = TimeSpan.FromMinutes(4) };

        NightScaleResult run = await NightScaleRun.RunAsync(options);

        // Payloads: measured on every serialized input, output and status the backend stored or moved.
        MeteredOrchestrationService meter = run.Meter;
        Assert.True(meter.LargestPayload.Bytes <= NightLimits.MaxPayloadBytes,
            $"largest payload {meter.LargestPayload} over {NightLimits.MaxPayloadBytes} bytes");
        Assert.Contains("activity output", meter.LargestPayloads.Keys);
        Assert.Contains("orchestration input", meter.LargestPayloads.Keys);
        // History: every orchestration of the hierarchy was measured, and none passed the budget.
        Assert.Equal([WorkflowNames.ReduceExposure, WorkflowNames.ReduceNight, WorkflowNames.ReduceNightBatch, WorkflowNames.ReduceNightLane],
            meter.LongestHistories.Keys.Order(StringComparer.Ordinal));
        Assert.True(meter.LongestHistory.Value <= NightLimits.MaxHistoryEvents, $"{meter.LongestHistory.Key} held {meter.LongestHistory.Value} events");
        // A batch of 189 exposures needs more than one execution's budget: the batches continued as new.
        Assert.True(meter.ContinuedAsNew.GetValueOrDefault(WorkflowNames.ReduceNightBatch) > 0,
            $"histories {string.Join(", ", meter.LongestHistories)}; continued {string.Join(", ", meter.ContinuedAsNew)}");

        // The summary and the report account for every exposure, once.
        NightSummary summary = run.Summary;
        Assert.Equal((10_000, 9_990, 10, 0), (summary.Exposures, summary.Succeeded, summary.Failed, summary.Skipped));
        // One batch per visit of 189 (53 visits), and the visit the 5,000-blob listing page cuts in two is two batches.
        Assert.Equal(54, summary.Batches);
        Assert.Equal(9_990 * StubExposureActivities.OutputBytes, summary.OutputBytes);
        Assert.Equal((10_000, 10_000, 10), (run.ReportLines, run.ReportInputs, run.ReportFailed));
        // A failure's 40,000-character error is cut before it travels.
        Assert.InRange(run.LongestReportError, ErrorText.MaxChars, ErrorText.MaxChars + 100);
        Assert.True(run.LongestReportLine < 4 * 1024, $"a report line of {run.LongestReportLine} bytes");
        // Recorded exposure instances were purged from the hub.
        Assert.Equal(0, run.ExposureInstancesLeft);
        // Progress read while the night reduced (what imred night --wait shows) moved forward through the exposures.
        ReductionProgress[] reducing = [.. run.Progress.Where(p => p.Phase == "reducing")];
        Assert.Contains(reducing, p => p.TilesDone > 0 && p.TilesDone < 10_000 && p.BatchesDone < summary.Batches);
        Assert.All(reducing.Zip(reducing.Skip(1)), pair => Assert.True(pair.Second.TilesDone >= pair.First.TilesDone,
            $"progress went back from {pair.First.TilesDone} to {pair.Second.TilesDone}"));
        Assert.All(reducing, p => Assert.Equal(10_000, p.TilesTotal));
        // Plan + 4 tiles + Reduce per exposure, plus the night's own activities.
        Assert.True(meter.ActivityWorkItems >= 6 * 10_000, $"{meter.ActivityWorkItems} activity work items");
    }

    [Fact]
    public async Task ReduceNight_TenThousandExposuresAutoFlow_OneActivityPerExposureBudgetsHeldAndTheDeclinedRunTiled()
    {
        // The night's default flow: each exposure is one ReduceExposureWhole activity called by its batch; every 500th is
        // declined as over the memory budget and runs as a tiled ReduceExposure sub-orchestration.
        var options = new NightScaleOptions(10_000) { FailEvery = 1_000, Flow = ExposureFlow.Auto, DeclineEvery = 500, Timeout = TimeSpan.FromMinutes(4) };

        NightScaleResult run = await NightScaleRun.RunAsync(options);

        MeteredOrchestrationService meter = run.Meter;
        Assert.True(meter.LargestPayload.Bytes <= NightLimits.MaxPayloadBytes, $"largest payload {meter.LargestPayload} over {NightLimits.MaxPayloadBytes} bytes");
        Assert.True(meter.LongestHistory.Value <= NightLimits.MaxHistoryEvents, $"{meter.LongestHistory.Key} held {meter.LongestHistory.Value} events");
        Assert.True(meter.ContinuedAsNew.GetValueOrDefault(WorkflowNames.ReduceNightBatch) > 0);
        NightSummary summary = run.Summary;
        Assert.Equal((10_000, 9_990, 10, 0), (summary.Exposures, summary.Succeeded, summary.Failed, summary.Skipped));
        Assert.Equal((10_000, 10_000, 10), (run.ReportLines, run.ReportInputs, run.ReportFailed));
        Assert.InRange(run.LongestReportError, ErrorText.MaxChars, ErrorText.MaxChars + 100);
        Assert.Equal(0, run.ExposureInstancesLeft);
        // 9,980 exposures: one whole activity each; 20 declined: the whole activity, then Plan + 4 tiles + Reduce. Plus the
        // night's own activities (listing, chunks, report parts): far under the tiled night's 6 per exposure.
        long exposureActivities = 10_000 + 20 * 6;
        Assert.InRange(meter.ActivityWorkItems, exposureActivities, exposureActivities + 2_000);
        // Only the declined exposures had an orchestration of their own.
        Assert.Contains(WorkflowNames.ReduceExposure, meter.LongestHistories.Keys);
        Assert.True(meter.OrchestrationWorkItems < 3 * 10_000, $"{meter.OrchestrationWorkItems} orchestration work items");
    }
}
