using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Running;

/// <summary>
/// The share of a run that one worker of a distributed run (a tile) computes: some cells of the
/// whole grid, mapped against a piece of the exposure, folded into one region of the output.
/// </summary>
/// <param name="CellIndices">Indices into the whole grid, strictly increasing (the fold order).</param>
/// <param name="FullBox">The whole exposure's box (what mappers see as <see cref="Mapping.MapContext.FullBox"/>).</param>
/// <param name="Region">The output region this part builds (stitching operations); inside the piece's box.</param>
public sealed record GridPart(IReadOnlyList<int> CellIndices, Box FullBox, Box Region);
