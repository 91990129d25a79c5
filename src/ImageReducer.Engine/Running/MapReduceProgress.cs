namespace ImageReducer.Engine.Running;

/// <summary>Progress of a run: cells mapped and folded, in cell order.</summary>
/// <param name="Phase">The current phase.</param>
/// <param name="CellsDone">Cells mapped and folded into the output so far (never decreases).</param>
/// <param name="CellCount">Cells in the run.</param>
public readonly record struct MapReduceProgress(MapReducePhase Phase, int CellsDone, int CellCount);
