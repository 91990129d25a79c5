using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Gridding;
using ImageReducer.Engine.Reducing;

namespace ImageReducer.Cli.Errors;

/// <summary>Which engine exceptions mean "bad input data" (exit 3) and which mean "bad configuration" (exit 2).</summary>
internal static class EngineErrors
{
    /// <summary>Malformed or unreadable FITS (any <see cref="FitsException"/>), or no PSF where the grid needs one.</summary>
    public static bool IsInputDataError(Exception e) => e is FitsException or MissingPsfException;

    /// <summary>
    /// Errors the user fixes in the configuration: a grid with too many cells or odd boxes, and reduce
    /// errors, which arise when the mapper's results do not fit the reduce operation (the message
    /// suggests <c>reduceOperation: none</c>).
    /// </summary>
    public static bool IsConfigurationError(Exception e) => e is GridTooLargeException or OddBoxException or ReduceException;
}
