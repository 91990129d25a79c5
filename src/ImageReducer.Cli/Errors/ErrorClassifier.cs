using ImageReducer.Engine.Errors;

namespace ImageReducer.Cli.Errors;

/// <summary>
/// Maps an exception that escaped a command to its exit code and its one-line message: by its <see cref="ErrorClass"/>
/// (<see cref="ErrorInfo.Of"/>), never by its type.
/// </summary>
internal static class ErrorClassifier
{
    /// <summary>The exit code for <paramref name="error"/>.</summary>
    public static int ExitCodeOf(Exception error) => ErrorInfo.Unwrap(error) is OperationCanceledException
        ? ExitCodes.Interrupted
        : ExitCodeOf(ErrorInfo.Of(error)?.Class);

    /// <summary>The exit code of an error of class <paramref name="errorClass"/> (null: not classified, unexpected).</summary>
    public static int ExitCodeOf(ErrorClass? errorClass) => errorClass switch
    {
        ErrorClass.Caller => ExitCodes.Usage,
        ErrorClass.BadInput or ErrorClass.UnsuitableInput or ErrorClass.NotFound => ExitCodes.InputData,
        ErrorClass.Conflict or ErrorClass.Unavailable => ExitCodes.Remote,
        _ => ExitCodes.Unexpected,
    };

    /// <summary>The message shown after <c>imred: error: </c>, on one line (an unexpected error names its type).</summary>
    public static string MessageOf(Exception error)
    {
        Exception e = ErrorInfo.Unwrap(error);
        string message = e switch
        {
            OperationCanceledException => "interrupted",
            ImageReducerException => e.Message,
            _ => $"{e.GetType().Name}: {e.Message}",
        };
        return OneLine(message);
    }

    /// <summary>Collapses line breaks so that an error is always exactly one line.</summary>
    public static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
