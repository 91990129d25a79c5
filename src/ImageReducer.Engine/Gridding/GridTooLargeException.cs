using ImageReducer.Engine.Errors;

namespace ImageReducer.Engine.Gridding;

/// <summary>
/// The configuration would produce more candidate cells than the allowed maximum
/// (typically a cell size or grid step far too small for the exposure): the caller's settings,
/// <see cref="ErrorCodes.MaxCells"/>.
/// </summary>
/// <param name="cellCount">The number of candidate cells the configuration asks for.</param>
/// <param name="maxCells">The limit that was exceeded.</param>
/// <param name="message">What, where and how to fix it.</param>
public sealed class GridTooLargeException(long cellCount, long maxCells, string message) : ImageReducerException(ErrorClass.Caller, ErrorCodes.MaxCells, message)
{
    /// <summary>The number of candidate cells the configuration asks for (saturates at <see cref="long.MaxValue"/>).</summary>
    public long CellCount { get; } = cellCount;

    /// <summary>The limit that was exceeded.</summary>
    public long MaxCells { get; } = maxCells;
}
