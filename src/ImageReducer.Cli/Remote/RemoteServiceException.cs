using ImageReducer.Engine.Errors;

namespace ImageReducer.Cli.Remote;

/// <summary>
/// The API could not be used (<see cref="ErrorClass.Unavailable"/>: exit code 4): unreachable, server errors after the
/// retries, an answer that is not the API's JSON, or the wait timed out. The message says what and where; it never holds
/// the function key.
/// </summary>
internal sealed class RemoteServiceException(string message, Exception? inner = null)
    : ImageReducerException(ErrorClass.Unavailable, ErrorCodes.RemoteUnavailable, message, inner);
