using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Reduction;

/// <summary>The input of one MapTile activity: the stored plan and which tile.</summary>
public sealed record TileTask(BlobPath Plan, int TileIndex);
