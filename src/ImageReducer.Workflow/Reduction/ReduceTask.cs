using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Reduction;

/// <summary>The input of the Reduce activity: the stored plan and every tile's result.</summary>
public sealed record ReduceTask(BlobPath Plan, TileResult[] Tiles)
{
    /// <summary>The orchestration instance, for the activity's logs (null when run outside an orchestration).</summary>
    public string? InstanceId { get; init; }

    /// <summary>The input exposure, for the activity's logs.</summary>
    public BlobPath? Input { get; init; }

    /// <summary>Wall time of the plan step, copied into the metadata JSON.</summary>
    public double PlanSeconds { get; init; }

    /// <summary>Input bytes the plan step downloaded, copied into the metadata JSON.</summary>
    public long PlanBytesRead { get; init; }
}
