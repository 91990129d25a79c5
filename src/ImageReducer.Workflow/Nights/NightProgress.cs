using ImageReducer.Workflow.Api;

namespace ImageReducer.Workflow.Nights;

/// <summary>
/// A night's live progress while it reduces. The night's own status changes only when its lanes end (it holds no event
/// per exposure, so that its history stays short); what is done so far is in its lanes' statuses (batches finished and
/// their exposures) and in the status of the batch each lane is running (<see cref="ReductionProgress.CurrentBatch"/>).
/// The status readers (the API's <c>GET /api/nights/{id}</c>, <c>imred status</c> on a task hub) add them up here.
/// </summary>
public static class NightProgress
{
    /// <summary>Statuses read at once.</summary>
    public const int ReadParallelism = 16;

    /// <summary>
    /// <paramref name="night"/> with the exposures done (succeeded, failed, skipped) and batches done summed over its lanes
    /// and their running batches, when it is reducing; otherwise <paramref name="night"/> as it is.
    /// </summary>
    /// <param name="nightId">The night's instance id.</param>
    /// <param name="night">The night's own status.</param>
    /// <param name="statusOf">Reads an instance's status (null when there is none yet).</param>
    /// <param name="cancellationToken">Stops reading.</param>
    public static async Task<ReductionProgress> LiveAsync(string nightId, ReductionProgress night,
        Func<string, CancellationToken, Task<ReductionProgress?>> statusOf, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nightId);
        ArgumentNullException.ThrowIfNull(night);
        ArgumentNullException.ThrowIfNull(statusOf);
        if (night.Phase != "reducing" || night.Lanes <= 0) return night;
        var lanes = new ReductionProgress?[night.Lanes];
        var running = new ReductionProgress?[night.Lanes];
        await Parallel.ForEachAsync(Enumerable.Range(0, night.Lanes),
            new ParallelOptions { MaxDegreeOfParallelism = ReadParallelism, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                ReductionProgress? lane = await statusOf(NightLayout.LaneInstance(nightId, i), token).ConfigureAwait(false);
                lanes[i] = lane;
                // Read after the lane: a batch that ended in between is counted by its own final status, not twice.
                if (lane?.CurrentBatch is int batch)
                    running[i] = await statusOf(NightLayout.BatchInstance(nightId, batch), token).ConfigureAwait(false);
            }).ConfigureAwait(false);
        int done = 0, failed = 0, skipped = 0, batches = 0;
        for (int i = 0; i < lanes.Length; i++)
        {
            foreach (ReductionProgress? p in (ReadOnlySpan<ReductionProgress?>)[lanes[i], running[i]])
            {
                if (p is null) continue;
                done += p.TilesDone;
                failed += p.Failed;
                skipped += p.Skipped;
            }
            batches += lanes[i]?.BatchesDone ?? 0;
        }
        return night with { TilesDone = done, Failed = failed, Skipped = skipped, BatchesDone = batches };
    }
}
