namespace ImageReducer.Workflow.Nights;

/// <summary>What became of one exposure of a night.</summary>
public enum NightExposureStatus
{
    /// <summary>Reduced by this run.</summary>
    Succeeded,

    /// <summary>Ended without an output (the entry's error says why).</summary>
    Failed,

    /// <summary>Not run: its output already existed from the same run inputs (input version, configuration, tile size).</summary>
    Skipped,
}
