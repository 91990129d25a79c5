using ImageReducer.Cli.Remote;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Cli.Errors;

/// <summary>Maps an exception that escaped a command to its exit code and its one-line message.</summary>
internal static class ErrorClassifier
{
    /// <summary>The exit code for <paramref name="error"/>.</summary>
    public static int ExitCodeOf(Exception error) => Unwrap(error) switch
    {
        UsageException or ConfigValidationException or RemoteProblemException => ExitCodes.Usage,
        InputDataException or InvalidPsfException or MaskPlaneException or RemoteRunFailedException => ExitCodes.InputData,
        RemoteServiceException => ExitCodes.Remote,
        OperationCanceledException => ExitCodes.Interrupted,
        var e when EngineErrors.IsInputDataError(e) => ExitCodes.InputData,
        var e when EngineErrors.IsConfigurationError(e) => ExitCodes.Usage,
        _ => ExitCodes.Unexpected,
    };

    /// <summary>The message shown after <c>imred: error: </c>, on one line.</summary>
    public static string MessageOf(Exception error)
    {
        Exception e = Unwrap(error);
        string message = e switch
        {
            OperationCanceledException => "interrupted",
            UsageException or InputDataException or ConfigValidationException => e.Message,
            _ when ExitCodeOf(e) != ExitCodes.Unexpected => e.Message,
            _ => $"{e.GetType().Name}: {e.Message}",
        };
        return OneLine(message);
    }

    /// <summary>Collapses line breaks so that an error is always exactly one line.</summary>
    public static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static Exception Unwrap(Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } agg) e = agg.InnerExceptions[0];
        return e;
    }
}
