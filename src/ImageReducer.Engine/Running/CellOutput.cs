using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;

namespace ImageReducer.Engine.Running;

/// <summary>One cell of a run with <c>returnSubImages</c>: its boxes, the input views it was given and its result.</summary>
/// <param name="CellIndex">Index of the cell in grid order.</param>
/// <param name="InputSubExposure">The cell view the mapper received (a view of the input, not a copy).</param>
/// <param name="InputExpandedSubExposure">The expanded-cell view the mapper received.</param>
/// <param name="Result">The mapper's result (kept alive; the caller disposes its exposure, if any).</param>
public sealed record CellOutput(int CellIndex, Exposure InputSubExposure, Exposure InputExpandedSubExposure, MapResult Result);
