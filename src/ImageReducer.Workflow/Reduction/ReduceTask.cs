using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Reduction;

/// <summary>The input of the Reduce activity: the stored plan and every tile's result.</summary>
public sealed record ReduceTask(BlobPath Plan, TileResult[] Tiles);
