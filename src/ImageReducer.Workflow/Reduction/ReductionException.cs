using ImageReducer.Engine.Errors;

namespace ImageReducer.Workflow.Reduction;

/// <summary>
/// A reduction cannot proceed for a reason that retrying will not fix: a limit the request exceeds, a changed input,
/// tiles or documents of the run that disagree. <see cref="ImageReducerException.ErrorClass"/> says whose fault it is.
/// </summary>
/// <remarks>Created by <see cref="ReductionErrors"/>, which keeps the wording and the classes in one place.</remarks>
/// <param name="errorClass">Who has to act.</param>
/// <param name="errorCode">The limit exceeded (<c>MaxPixels</c>, <c>MaxTiles</c>, <c>MaxCells</c>) or what else went wrong.</param>
/// <param name="message">What is wrong, naming the input and, for a limit, its value and the configured maximum.</param>
public sealed class ReductionException(ErrorClass errorClass, string errorCode, string message)
    : ImageReducerException(errorClass, errorCode, message);
