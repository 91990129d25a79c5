using ImageReducer.Engine.Errors;

namespace ImageReducer.Cli.Errors;

/// <summary>
/// A run ended failed: a tiled run's failure record, or a followed remote run that failed, was terminated or returned a
/// failure record. It carries the run's own error class and code, so the exit code is the same as for the error raised
/// in this process (a tile size over MaxTiles is the caller's: 2; a corrupt input: 3). A remote run that ended without a
/// classified error (terminated, or the orchestration itself failed) counts as a failed input (3).
/// </summary>
internal sealed class RunFailedException(string message, ErrorClass errorClass = ErrorClass.BadInput, string errorCode = RunFailedException.RunFailed)
    : ImageReducerException(errorClass, errorCode, message)
{
    /// <summary>The code of a run that ended without a classified error.</summary>
    public const string RunFailed = "RunFailed";

    /// <summary>The failure of a run that reported <paramref name="error"/> (null: not classified).</summary>
    public static RunFailedException Of(string message, ErrorInfo? error) =>
        error is null ? new RunFailedException(message) : new RunFailedException(message, error.Class, error.Code);
}
