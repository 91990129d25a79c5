using ImageReducer.Engine.Imaging;

namespace ImageReducer.Cli.Output;

/// <summary>One cell of a grid document.</summary>
internal sealed record CellEntry(int Index, Box Bbox, Box ExpandedBbox);
