using ImageReducer.Engine.Imaging;

namespace ImageReducer.Workflow.Reduction;

/// <summary>One tile in the metadata.</summary>
public sealed record TileMetadata(int Index, Box Region, Box InputBox, int Cells, int OwnedCells, double Seconds, double ReadSeconds,
    double MapSeconds, double StageSeconds, long BytesRead, long BytesWritten, int BlocksPerPlane, long PeakManagedBytes);
