using ImageReducer.Engine.Errors;

namespace ImageReducer.Cli.Errors;

/// <summary>
/// An input file cannot be used: unreadable, malformed, or lacking a PSF that is needed (<see cref="ErrorClass.BadInput"/>:
/// exit code 3).
/// </summary>
internal sealed class InputDataException(string message, Exception? inner = null)
    : ImageReducerException(ErrorClass.BadInput, ErrorCodes.InputData, message, inner);
