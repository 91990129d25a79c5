using ImageReducer.Engine.Errors;
using ImageReducer.Workflow.Api;

namespace ImageReducer.Cli.Remote;

/// <summary>
/// The API refused the request with a problem body (400: <see cref="ErrorClass.Caller"/>, exit code 2).
/// <see cref="Exception.Message"/> is the one-line summary; <see cref="FieldLines"/> name each invalid field, as the API
/// reported them.
/// </summary>
internal sealed class RemoteProblemException(string message, IReadOnlyList<string> fieldLines)
    : ImageReducerException(ErrorClass.Caller, ErrorCodes.RequestRefused, message)
{
    /// <summary><c>field: message</c>, one per reported problem, in the API's order.</summary>
    public IReadOnlyList<string> FieldLines { get; } = fieldLines;

    /// <summary>
    /// The exception of a refused request's <paramref name="problem"/> (null when the answer held none), worded once for both doors:
    /// <paramref name="refuser"/> is who refused it ("the API", "the task hub client").
    /// </summary>
    public static RemoteProblemException From(Problem? problem, string refuser, string fallbackDetail)
    {
        var fields = (problem?.Errors ?? new Dictionary<string, string[]>()).SelectMany(f => f.Value.Select(m => $"{f.Key}: {m}")).ToList();
        string detail = problem?.Detail ?? problem?.Title ?? fallbackDetail;
        return new RemoteProblemException($"{refuser} refused the request ({problem?.Status ?? 400} {problem?.Title ?? "Bad Request"}): {detail}", fields);
    }
}
