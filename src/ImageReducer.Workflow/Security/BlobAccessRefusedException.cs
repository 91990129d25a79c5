using ImageReducer.Engine.Errors;

namespace ImageReducer.Workflow.Security;

/// <summary>
/// A blob address from outside the app (an HTTP body, an Event Grid event) was refused by the
/// <see cref="BlobAccessPolicy"/>; the message says which rule and why (<see cref="ErrorClass.Caller"/>,
/// <see cref="ErrorCodes.AccessRefused"/>).
/// </summary>
/// <param name="reason">The refusal's reason, for problem bodies and logs.</param>
public sealed class BlobAccessRefusedException(string reason) : ImageReducerException(ErrorClass.Caller, ErrorCodes.AccessRefused, reason);
