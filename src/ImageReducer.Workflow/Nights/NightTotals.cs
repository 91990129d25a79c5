namespace ImageReducer.Workflow.Nights;

/// <summary>Sums over a batch, a lane or a night: counts, bytes and time. Small and fixed-size, so it travels in payloads.</summary>
/// <param name="Exposures">Exposures accounted for.</param>
/// <param name="Succeeded">Reduced in this run.</param>
/// <param name="Failed">Ended without an output.</param>
/// <param name="Skipped">Not run: the output already existed from the same run inputs (a resumed night).</param>
/// <param name="InputBytes">Bytes of the inputs reduced (listed sizes; skipped ones not counted).</param>
/// <param name="OutputBytes">Bytes of the outputs written.</param>
/// <param name="ActivitySeconds">Seconds the exposures' activities ran (plan + tiles + reduce), summed.</param>
/// <param name="ExposureSeconds">Seconds from each exposure's start to its end (orchestration time), summed.</param>
public sealed record NightTotals(int Exposures, int Succeeded, int Failed, int Skipped, long InputBytes, long OutputBytes,
    double ActivitySeconds, double ExposureSeconds)
{
    /// <summary>Nothing yet.</summary>
    public static NightTotals Zero { get; } = new(0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>The sum of this and <paramref name="other"/>.</summary>
    public NightTotals Add(NightTotals other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(Exposures + other.Exposures, Succeeded + other.Succeeded, Failed + other.Failed, Skipped + other.Skipped,
            InputBytes + other.InputBytes, OutputBytes + other.OutputBytes, ActivitySeconds + other.ActivitySeconds, ExposureSeconds + other.ExposureSeconds);
    }

    /// <summary>This plus one report entry.</summary>
    public NightTotals Add(NightReportEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new(Exposures + 1,
            Succeeded + (entry.Status == NightExposureStatus.Succeeded ? 1 : 0),
            Failed + (entry.Status == NightExposureStatus.Failed ? 1 : 0),
            Skipped + (entry.Status == NightExposureStatus.Skipped ? 1 : 0),
            InputBytes + (entry.Status == NightExposureStatus.Skipped ? 0 : entry.InputBytes),
            OutputBytes + entry.OutputBytes, ActivitySeconds + entry.ActivitySeconds, ExposureSeconds + entry.Seconds);
    }
}
