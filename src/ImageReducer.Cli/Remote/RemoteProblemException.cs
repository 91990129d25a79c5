using ImageReducer.Engine.Errors;

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
}
