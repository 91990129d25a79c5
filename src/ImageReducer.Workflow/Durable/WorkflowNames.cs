namespace ImageReducer.Workflow.Durable;

/// <summary>The names orchestrations and activities are registered and called by (one place, so every host — Functions, the storage-provider worker, the test host — and every client agree).</summary>
public static class WorkflowNames
{
    /// <summary>The orchestration that reduces one exposure (<see cref="ReduceExposureOrchestration"/>).</summary>
    public const string ReduceExposure = "ReduceExposure";
    /// <summary>The orchestration that reduces a night of exposures (<see cref="ReduceNightOrchestration"/>).</summary>
    public const string ReduceNight = "ReduceNight";
    /// <summary>The activity that plans a reduction (headers and PSF only).</summary>
    public const string Plan = "Plan";
    /// <summary>The activity that maps one tile and stages its output blocks.</summary>
    public const string MapTile = "MapTile";
    /// <summary>The activity that commits the output and writes its metadata.</summary>
    public const string Reduce = "Reduce";
    /// <summary>The activity that copies a rejected input to quarantine.</summary>
    public const string Quarantine = "Quarantine";
    /// <summary>The activity that lists a night's exposures.</summary>
    public const string ListNight = "ListNight";
    /// <summary>The activity that writes a night's report.</summary>
    public const string WriteNightReport = "WriteNightReport";
}
