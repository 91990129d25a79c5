namespace ImageReducer.Engine.Reducing;

/// <summary>A map-reduce run cannot reduce its results: wrong result type, box outside the exposure, different WCS, mismatched box lists.</summary>
/// <remarks>Created by <see cref="ReduceErrors"/>, so every message says what, where and why.</remarks>
public sealed class ReduceException(string message, int? cellIndex = null) : InvalidOperationException(message)
{
    /// <summary>The cell whose result was rejected, when the error concerns one cell.</summary>
    public int? CellIndex { get; } = cellIndex;
}
