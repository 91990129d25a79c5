using ImageReducer.Engine.Reducing;
using ImageReducer.Engine.Gridding;

namespace ImageReducer.Engine.Running;

/// <summary>The outcome of <see cref="MapReduceRunner.Run"/>.</summary>
/// <param name="Reduced">What the reducer produced (exposure, result list, PSF, overlap statistics).</param>
/// <param name="Grid">The grid that was run.</param>
/// <param name="Cells">Per-cell inputs and results, in cell order, when <c>returnSubImages</c> was set; otherwise null.</param>
public sealed record MapReduceResult(ReduceResult Reduced, Grid Grid, IReadOnlyList<CellOutput>? Cells = null);
