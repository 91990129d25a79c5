using ImageReducer.Engine.Errors;

namespace ImageReducer.Workflow.Api;

/// <summary>A run's classified failure as the status document reports it.</summary>
/// <param name="Class">Who has to act (<c>caller</c>, <c>badInput</c>…).</param>
/// <param name="Code">What went wrong, one word (<c>MaxTiles</c>, <c>Truncated</c>…).</param>
/// <param name="Status">The HTTP status of the class (<see cref="ApiErrors.StatusOf"/>): 400 for the caller's settings, 422 for the input…</param>
/// <param name="Message">What, where and why.</param>
public sealed record ApiError(ErrorClass Class, string Code, int Status, string Message)
{
    /// <summary>The report of <paramref name="error"/>.</summary>
    public static ApiError Of(ErrorInfo error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new ApiError(error.Class, error.Code, ApiErrors.StatusOf(error.Class), error.Message);
    }
}
