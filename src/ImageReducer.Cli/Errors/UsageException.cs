using ImageReducer.Engine.Errors;

namespace ImageReducer.Cli.Errors;

/// <summary>
/// The command line or the configuration is wrong (<see cref="ErrorClass.Caller"/>: exit code 2). The message names the
/// option, file or key.
/// </summary>
internal sealed class UsageException(string message, Exception? inner = null)
    : ImageReducerException(ErrorClass.Caller, ErrorCodes.Usage, message, inner);
