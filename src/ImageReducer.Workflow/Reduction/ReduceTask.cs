using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Reduction;

/// <summary>
/// The input of the Reduce activity: the stored plan and how many tiles it has. The tiles' results are read back
/// from their records (<see cref="TileRecords"/>), so this payload stays the same size whatever the tile count.
/// </summary>
public sealed record ReduceTask(BlobPath Plan, int TileCount)
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
