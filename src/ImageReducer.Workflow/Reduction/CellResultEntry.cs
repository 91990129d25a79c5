using ImageReducer.Engine.Imaging;

namespace ImageReducer.Workflow.Reduction;

/// <summary>One element of a results list (<c>reduceOperation: none</c>): the cell and the mapper's value.</summary>
/// <param name="Index">Grid index.</param>
/// <param name="Bbox">Cell box.</param>
/// <param name="ExpandedBbox">Expanded-cell box.</param>
/// <param name="Value">The value (<see cref="CellResultValue.Of"/>), omitted when null.</param>
public sealed record CellResultEntry(int Index, Box Bbox, Box ExpandedBbox, object? Value);
