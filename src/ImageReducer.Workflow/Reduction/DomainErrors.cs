using ImageReducer.Engine.Errors;

namespace ImageReducer.Workflow.Reduction;

/// <summary>
/// What the workflow does with an error, decided here once from its <see cref="ErrorClass"/> (never from its type): a
/// failure record instead of a retry, and whether the input goes to quarantine. The activities, the in-process runner
/// (<see cref="TiledReduction"/>) and the orchestration all ask this class.
/// </summary>
public static class DomainErrors
{
    /// <summary>
    /// True when retrying cannot fix <paramref name="e"/> (bad input, the caller's settings, limits, a conflict, a defect):
    /// the step ends with a failure record. False for <see cref="ErrorClass.Unavailable"/> and for exceptions that are
    /// not classified (<see cref="ErrorInfo.Of"/> is null): those propagate to the retry policy.
    /// </summary>
    public static bool IsDomain(Exception e) => ErrorInfo.Of(e) is { Class: not ErrorClass.Unavailable };

    /// <summary>The record of <paramref name="e"/> (an unclassified exception is <see cref="ErrorClass.Internal"/>, coded by its type's name).</summary>
    public static ErrorInfo Describe(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return ErrorInfo.Of(e) ?? new ErrorInfo(ErrorClass.Internal, ErrorInfo.Unwrap(e).GetType().Name, ErrorInfo.Unwrap(e).Message);
    }

    /// <summary>
    /// True when the input itself is at fault (<see cref="ErrorClass.BadInput"/>: not valid FITS, a checksum that fails…):
    /// it belongs in quarantine. A run refused for the caller's settings or for a valid input it cannot use is not.
    /// </summary>
    public static bool Quarantines(ErrorInfo? error) => error is { Class: ErrorClass.BadInput };
}
