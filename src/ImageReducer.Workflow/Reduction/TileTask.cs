using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Reduction;

/// <summary>The input of one MapTile activity: the stored plan and which tile.</summary>
public sealed record TileTask(BlobPath Plan, int TileIndex)
{
    /// <summary>The orchestration instance that scheduled the tile, for the activity's logs (null when run outside an orchestration).</summary>
    public string? InstanceId { get; init; }

    /// <summary>The input exposure, for the activity's logs (the plan has it too, but the logs need it before the plan is read).</summary>
    public BlobPath? Input { get; init; }
}
