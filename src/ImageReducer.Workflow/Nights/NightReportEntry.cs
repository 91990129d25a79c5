using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Nights;

/// <summary>One exposure of a night report: one line of <c>night-report.jsonl</c>.</summary>
/// <param name="Input">The exposure.</param>
/// <param name="Status">Succeeded, failed or skipped.</param>
/// <param name="Started">When its reduction started (UTC, orchestration time).</param>
/// <param name="Finished">When it ended.</param>
/// <param name="Seconds">Finished − started.</param>
/// <param name="Output">The output blob (also for a skipped exposure: the one that already existed).</param>
/// <param name="Error">Why it failed (at most <see cref="NightLimits.MaxErrorChars"/> characters; redacted).</param>
public sealed record NightReportEntry(BlobPath Input, NightExposureStatus Status, DateTime Started, DateTime Finished, double Seconds,
    BlobPath? Output, string? Error)
{
    /// <summary>The batch it belonged to.</summary>
    public int Batch { get; init; }

    /// <summary>Its <c>ReduceExposure</c> instance (purged once recorded, unless the night says otherwise); null when skipped.</summary>
    public string? InstanceId { get; init; }

    /// <summary>Bytes of the input, as listed.</summary>
    public long InputBytes { get; init; }

    /// <summary>Bytes of the output written (0 when failed or skipped).</summary>
    public long OutputBytes { get; init; }

    /// <summary>Seconds its activities ran (plan + tiles + reduce).</summary>
    public double ActivitySeconds { get; init; }

}
