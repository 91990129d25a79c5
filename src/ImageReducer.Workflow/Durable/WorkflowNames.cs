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
    /// <summary>
    /// The activity that reduces a whole exposure in one work item (<see cref="Reduction.ExposureFlow.Whole"/>): reads it,
    /// maps and reduces it in-process, commits the output and its metadata, and quarantines a bad input itself.
    /// </summary>
    public const string ReduceExposureWhole = "ReduceExposureWhole";
    /// <summary>The activity that copies a rejected input to quarantine.</summary>
    public const string Quarantine = "Quarantine";
    /// <summary>The orchestration that runs a lane of a night's batches (<see cref="NightLaneOrchestration"/>).</summary>
    public const string ReduceNightLane = "ReduceNightLane";
    /// <summary>The orchestration that reduces one batch of a night (<see cref="NightBatchOrchestration"/>).</summary>
    public const string ReduceNightBatch = "ReduceNightBatch";
    /// <summary>The activity that lists one page of a night into batch manifests.</summary>
    public const string ListNightPage = "ListNightPage";
    /// <summary>The activity that reads a chunk of a batch manifest (with the resume check).</summary>
    public const string ReadNightChunk = "ReadNightChunk";
    /// <summary>The activity that writes a part of a batch's report and purges the recorded exposures' instances.</summary>
    public const string RecordBatchPart = "RecordBatchPart";
    /// <summary>The activity that merges a night's report and writes its summary.</summary>
    public const string FinishNight = "FinishNight";
}
