using System.Text.Json;
using ImageReducer.Engine.Errors;
using ImageReducer.Workflow.Api;
using ImageReducer.Workflow.Nights;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Security;
using ImageReducer.Workflow.Storage;
using Microsoft.DurableTask;

namespace ImageReducer.Workflow.Durable;

/// <summary>
/// The <c>ReduceNightBatch</c> orchestration: one batch of a night (one manifest, at most 1,000 exposures). It reads the
/// manifest in chunks (<c>ReadNightChunk</c>, bounded in bytes), runs each exposure not already done with at most
/// <see cref="NightBatch.Window"/> in flight, and records what became of each in report parts (<c>RecordBatchPart</c>, bounded
/// in bytes) — which also purges the recorded exposures' instances. An exposure runs as one <c>ReduceExposureWhole</c>
/// activity called from here when the night's <see cref="NightRequest.Flow"/> allows it (no sub-orchestration, so a third of
/// the work items of a tiled exposure's smallest run), and as a tiled <c>ReduceExposure</c> sub-orchestration when the flow
/// is tiled or the activity declines it (auto, over the memory budget).
/// </summary>
/// <remarks>
/// When the history budget (<see cref="HistoryBudget"/>, <see cref="PerExposure"/> events per exposure) runs low it stops
/// starting exposures, lets those in flight end, writes what it holds and continues as new with a
/// <see cref="BatchCursor"/> (the next manifest line and the sums so far). Returns the batch's sums.
/// </remarks>
public static class NightBatchOrchestration
{
    /// <summary>
    /// History events budgeted per exposure: its sub-orchestration (created, completed, one episode) and a share of the
    /// report parts (an entry of at most ~3.4 KB, so a part of 8 KB holds at least two, and a part costs 4 events).
    /// </summary>
    public const int PerExposure = HistoryBudget.PerTask + 2;

    /// <summary>
    /// History events reserved for an <see cref="ExposureFlow.Auto"/> exposure: its whole activity, the tiled sub-orchestration
    /// it may be declined to, and the report share; what the fallback did not use is given back.
    /// </summary>
    public const int PerAutoExposure = PerExposure + HistoryBudget.PerTask;

    /// <summary>Runs (or continues) one batch; returns its sums (null from an execution that continued as new).</summary>
    public static async Task<NightTotals> RunAsync(TaskOrchestrationContext context, NightBatch batch)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(batch);
        NightRequest night = batch.Night;
        string nightId = night.InstanceId ?? throw new ArgumentException("The batch's night has no instance id.", nameof(batch));
        var activities = new ActivityCalls(context);
        var budget = new HistoryBudget();
        BatchCursor cursor = batch.Cursor ?? new BatchCursor(0, 0, 0, NightTotals.Zero);
        NightTotals totals = cursor.Totals;
        int parts = cursor.Parts;
        var queue = new Queue<NightChunkEntry>();
        (int Offset, long Byte) next = (cursor.Offset, cursor.ByteOffset);
        bool end = false;
        var inFlight = new Dictionary<Task<(ReductionSummary Summary, bool Orchestrated)>, (NightChunkEntry Entry, DateTime Started, string Id)>();
        ExposureFlow flow = night.Flow;
        int perExposure = flow == ExposureFlow.Auto ? PerAutoExposure : PerExposure;
        var pending = new List<NightReportEntry>();
        int pendingBytes = 0;
        int window = Math.Max(1, batch.Window);
        // Every execution states its sums from the start: a continued execution's status would otherwise be empty until
        // its first exposure ends, and the night's live progress (NightProgress) would go back.
        context.SetCustomStatus(Status(totals));

        async Task FlushAsync()
        {
            if (pending.Count == 0) return;
            budget.Spend(HistoryBudget.PerTask); // paid for by the exposures' share (PerExposure)
            await activities.RecordBatchPartAsync(new BatchPart(night, batch.Batch, parts++, [.. pending]));
            pending.Clear();
            pendingBytes = 0;
        }

        void Record(NightReportEntry entry)
        {
            totals = totals.Add(entry);
            pending.Add(entry);
            pendingBytes += JsonSerializer.SerializeToUtf8Bytes(entry, WorkflowJson.CompactOptions).Length + 1;
        }

        bool stopping = false;
        while (true)
        {
            while (!stopping && inFlight.Count < window)
            {
                if (queue.Count == 0)
                {
                    if (end) break;
                    if (!budget.TrySpend(HistoryBudget.PerTask)) { stopping = true; break; }
                    NightChunk chunk = await activities.ReadNightChunkAsync(new NightChunkRequest(night, batch.Batch, next.Offset, next.Byte));
                    foreach (NightChunkEntry e in chunk.Entries) queue.Enqueue(e);
                    (next, end) = ((chunk.Next, chunk.NextByte), chunk.End);
                    continue;
                }
                NightChunkEntry entry = queue.Peek();
                if (entry.Done)
                {
                    queue.Dequeue();
                    DateTime now = context.CurrentUtcDateTime;
                    Record(new NightReportEntry(entry.Input, NightExposureStatus.Skipped, now, now, 0, entry.Output, null)
                        { Batch = batch.Batch, InputBytes = entry.InputBytes });
                    continue;
                }
                if (!budget.TrySpend(perExposure)) { stopping = true; break; }
                queue.Dequeue();
                IReadOnlyDictionary<string, BlobPath>? auxiliary;
                try
                {
                    auxiliary = NightAuxiliary.Resolve(night, entry.Input); // pure: replay-safe
                }
                catch (ArgumentException e)
                {
                    DateTime now = context.CurrentUtcDateTime;
                    Record(new NightReportEntry(entry.Input, NightExposureStatus.Failed, now, now, 0, null, ErrorText.Cap($"{ErrorCodes.AuxiliaryInput} ({ErrorInfo.NameOf(ErrorClass.Caller)}): {e.Message}"))
                        { Batch = batch.Batch, InputBytes = entry.InputBytes });
                    continue;
                }
                string id = NightLayout.ExposureInstance(nightId, batch.Batch, entry.Index);
                var request = new ReductionRequest(entry.Input, entry.Output, night.Config, night.TileSize) { Psf = night.Psf, Auxiliary = auxiliary, Flow = flow };
                inFlight.Add(ReduceAsync(request, id), (entry, context.CurrentUtcDateTime, id));
            }
            if (inFlight.Count == 0)
            {
                if (pendingBytes >= NightLimits.ReportPartBytes) await FlushAsync();
                break;
            }

            Task<(ReductionSummary Summary, bool Orchestrated)> finished = await Task.WhenAny(inFlight.Keys);
            var (done, began, instance) = inFlight[finished];
            inFlight.Remove(finished);
            DateTime ended = context.CurrentUtcDateTime;
            double seconds = (ended - began).TotalSeconds;
            NightReportEntry record;
            string? recorded = instance;
            try
            {
                var (s, orchestrated) = await finished;
                if (!orchestrated) recorded = null; // a whole exposure has no instance in the hub to purge
                record = new NightReportEntry(done.Input, s.Status == ReductionStatus.Succeeded ? NightExposureStatus.Succeeded : NightExposureStatus.Failed,
                    began, ended, seconds, s.Output, ErrorText.Cap(s.Error))
                {
                    OutputBytes = s.Status == ReductionStatus.Succeeded ? s.OutputBytes : 0, ActivitySeconds = s.ActivitySeconds,
                };
            }
            catch (TaskFailedException e)
            {
                record = new NightReportEntry(done.Input, NightExposureStatus.Failed, began, ended, seconds, null,
                    ErrorText.Cap(SecretRedaction.Redact(e.FailureDetails?.ErrorMessage ?? e.Message)));
            }
            Record(record with { Batch = batch.Batch, InstanceId = recorded, InputBytes = done.InputBytes });
            context.SetCustomStatus(Status(totals));
            if (pendingBytes >= NightLimits.ReportPartBytes) await FlushAsync();
        }
        await FlushAsync();

        // One exposure: its whole activity first (the flow allowing), the tiled sub-orchestration when it is tiled or declined.
        // No retry around either: the activities retry transient faults themselves; a failed exposure is recorded, not rerun.
        async Task<(ReductionSummary, bool)> ReduceAsync(ReductionRequest request, string id)
        {
            if (ExposureFlowPolicy.TriesWhole(flow))
            {
                WholeExposureResult whole = await activities.ReduceWholeAsync(new WholeExposureTask(request with { InstanceId = id }) { Quarantine = true });
                if (whole.Summary is { } summary)
                {
                    if (flow == ExposureFlow.Auto) budget.Refund(HistoryBudget.PerTask); // the fallback's reservation, unused
                    return (summary, false);
                }
            }
            return (await context.CallSubOrchestratorAsync<ReductionSummary>(WorkflowNames.ReduceExposure, request with { Flow = ExposureFlow.Tiled },
                new SubOrchestrationOptions { InstanceId = id }), true);
        }

        if (queue.Count > 0 || !end)
        {
            // Out of history budget: continue from the first exposure not started.
            (int offset, long bytes) = queue.Count > 0 ? (queue.Peek().Index, queue.Peek().Byte) : next;
            context.ContinueAsNew(batch with { Cursor = new BatchCursor(offset, bytes, parts, totals) });
            return null!;
        }
        return totals;
    }

    /// <summary>A batch's status: the exposures it has recorded so far.</summary>
    private static ReductionProgress Status(NightTotals totals) =>
        new("reducing", totals.Exposures, 0, Failed: totals.Failed) { Skipped = totals.Skipped };
}
