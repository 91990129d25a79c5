using ImageReducer.Engine.Errors;

namespace ImageReducer.Engine.Reducing;

/// <summary>
/// A map-reduce run cannot reduce its results: a result that does not fit the reduce operation (the caller's choice of
/// mapper and operation, <see cref="ErrorCodes.ReduceMismatch"/>), or results out of order or outside the grid (a defect,
/// <see cref="ErrorCodes.ReduceOrder"/>).
/// </summary>
/// <remarks>Created by <see cref="ReduceErrors"/>, so every message says what, where and why.</remarks>
public sealed class ReduceException(string message, int? cellIndex = null, ErrorClass errorClass = ErrorClass.Caller, string errorCode = ErrorCodes.ReduceMismatch)
    : ImageReducerException(errorClass, errorCode, message)
{
    /// <summary>The cell whose result was rejected, when the error concerns one cell.</summary>
    public int? CellIndex { get; } = cellIndex;
}
