using ImageReducer.Workflow.Nights;
using ImageReducer.Workflow.Observability;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Security;
using ImageReducer.Workflow.Storage;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using ImageReducer.Workflow.Api;

namespace ImageReducer.Workflow.Durable;

/// <summary>
/// The <c>ReduceNight</c> orchestration: lists the night's exposures, runs a <c>ReduceExposure</c>
/// sub-orchestration for each with at most <see cref="NightRequest.MaxConcurrentExposures"/> in
/// flight, and writes the night report. Timings are orchestration time (replay-safe).
/// </summary>
public static class ReduceNightOrchestration
{
    /// <summary>Runs one night; returns the report's path.</summary>
    public static async Task<BlobPath> RunAsync(TaskOrchestrationContext context, NightRequest night)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(night);
        ILogger log = context.CreateReplaySafeLogger(typeof(ReduceNightOrchestration).FullName!);
        night = night with { InstanceId = context.InstanceId };
        string name = night.Container + "/" + night.Prefix;
        DateTime started = context.CurrentUtcDateTime;
        var activities = new ActivityCalls(context);
        NightExposure[] exposures = await activities.ListNightAsync(night);
        OrchestrationLog.NightListed(log, context.InstanceId, name, exposures.Length);
        context.SetCustomStatus(new ReductionProgress("reducing", 0, exposures.Length));

        var entries = new NightReportEntry[exposures.Length];
        var inFlight = new Dictionary<Task<ReductionSummary>, (int Index, DateTime Started)>();
        int next = 0, done = 0, failed = 0, window = Math.Max(1, night.MaxConcurrentExposures);
        while (done < exposures.Length)
        {
            while (next < exposures.Length && inFlight.Count < window)
            {
                var options = new SubOrchestrationOptions(ReduceExposureOrchestration.Retry, $"{context.InstanceId}-{next:D5}");
                inFlight.Add(context.CallSubOrchestratorAsync<ReductionSummary>(WorkflowNames.ReduceExposure, exposures[next].Request, options),
                    (next, context.CurrentUtcDateTime));
                next++;
            }
            Task<ReductionSummary> finished = await Task.WhenAny(inFlight.Keys);
            var (index, began) = inFlight[finished];
            inFlight.Remove(finished);
            DateTime ended = context.CurrentUtcDateTime;
            NightExposure exposure = exposures[index];
            try
            {
                ReductionSummary s = await finished;
                entries[index] = new NightReportEntry(exposure.Input, s.Status, began, ended, (ended - began).TotalSeconds, s.Output, s.Error);
            }
            catch (TaskFailedException e)
            {
                entries[index] = new NightReportEntry(exposure.Input, ReductionStatus.Failed, began, ended, (ended - began).TotalSeconds, null,
                    SecretRedaction.Redact(e.FailureDetails?.ErrorMessage ?? e.Message));
            }
            done++;
            if (entries[index].Status != ReductionStatus.Succeeded) failed++;
            context.SetCustomStatus(new ReductionProgress("reducing", done, exposures.Length, Failed: failed));
        }

        int ok = entries.Count(e => e.Status == ReductionStatus.Succeeded);
        var report = new NightReport(night, started, context.CurrentUtcDateTime, ok, entries.Length - ok, entries);
        BlobPath path = await activities.WriteNightReportAsync(report);
        // The night itself completes either way; a caller (imred night --wait) reads Failed to tell a night with casualties.
        context.SetCustomStatus(failed == 0
            ? new ReductionProgress("succeeded", done, exposures.Length, path)
            : new ReductionProgress("failed", done, exposures.Length, path, $"{failed} of {exposures.Length} exposures failed; see the night report {path}", failed));
        OrchestrationLog.NightDone(log, context.InstanceId, name, path.ToString(), ok, entries.Length - ok);
        return path;
    }
}
