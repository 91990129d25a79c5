namespace ImageReducer.Workflow.Nights;

/// <summary>One batch of a night: the <c>ReduceNightBatch</c> orchestration's input.</summary>
/// <param name="Night">The night (its instance id set, no cursor).</param>
/// <param name="Batch">The batch number (its manifest).</param>
/// <param name="Window">Exposures in flight at most.</param>
public sealed record NightBatch(NightRequest Night, int Batch, int Window)
{
    /// <summary>Where the batch stands between executions; null at its start.</summary>
    public BatchCursor? Cursor { get; init; }
}

/// <summary>Where a batch stands between two executions.</summary>
/// <param name="Offset">The first manifest line not yet started.</param>
/// <param name="ByteOffset">Where that line starts in the manifest.</param>
/// <param name="Parts">Report parts written so far.</param>
/// <param name="Totals">Sums over the exposures recorded so far.</param>
public sealed record BatchCursor(int Offset, long ByteOffset, int Parts, NightTotals Totals);

/// <summary>One lane of a night: runs batches <paramref name="Lane"/>, <paramref name="Lane"/> + lanes, … one after the other.</summary>
/// <param name="Night">The night (its instance id set, no cursor).</param>
/// <param name="Lane">The lane's number.</param>
/// <param name="Lanes">Lanes of the night.</param>
/// <param name="Window">Exposures in flight in this lane's batch.</param>
/// <param name="Batches">Batches of the night.</param>
/// <param name="Next">The next batch this lane runs.</param>
/// <param name="Totals">Sums over this lane's batches so far.</param>
public sealed record NightLane(NightRequest Night, int Lane, int Lanes, int Window, int Batches, int Next, NightTotals Totals);

/// <summary>Some report entries of a batch, to write as one part (the <c>RecordBatchPart</c> activity); then the
/// exposures' instances are purged when the night asks for it.</summary>
/// <param name="Night">The night (its instance id set).</param>
/// <param name="Batch">The batch.</param>
/// <param name="Part">The part's number within the batch.</param>
/// <param name="Entries">The entries (≤ <see cref="NightLimits.ReportPartBytes"/> plus one entry, serialized).</param>
public sealed record BatchPart(NightRequest Night, int Batch, int Part, NightReportEntry[] Entries);

/// <summary>Finish a night: merge the parts into the report, write the summary, remove the intermediates (the <c>FinishNight</c> activity).</summary>
/// <param name="Night">The night (its instance id set).</param>
/// <param name="Batches">Batches of the night.</param>
/// <param name="Started">When the night started (orchestration time).</param>
/// <param name="Finished">When its last batch ended.</param>
/// <remarks>No sums travel with it: the summary counts the report's lines, so the two always agree.</remarks>
public sealed record NightFinish(NightRequest Night, int Batches, DateTime Started, DateTime Finished);
