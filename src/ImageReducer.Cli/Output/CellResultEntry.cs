using ImageReducer.Engine.Imaging;

namespace ImageReducer.Cli.Output;

/// <summary>One element of <c>--results FILE.json</c> (<c>reduceOperation=none</c>): the cell and the mapper's value.</summary>
internal sealed record CellResultEntry(int Index, Box Bbox, Box ExpandedBbox, object? Value);
