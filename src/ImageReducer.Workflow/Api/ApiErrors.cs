using ImageReducer.Engine.Errors;

namespace ImageReducer.Workflow.Api;

/// <summary>The HTTP API's side of the error classes: the status each <see cref="ErrorClass"/> is answered with, decided here once.</summary>
public static class ApiErrors
{
    /// <summary>
    /// 400 for the caller's own request or settings, 422 for an input that is bad or unusable, 404 for a missing blob,
    /// 409 for state that changed under the run, 503 for an unavailable service, 500 for a defect.
    /// </summary>
    public static int StatusOf(ErrorClass errorClass) => errorClass switch
    {
        ErrorClass.Caller => 400,
        ErrorClass.BadInput or ErrorClass.UnsuitableInput => 422,
        ErrorClass.NotFound => 404,
        ErrorClass.Conflict => 409,
        ErrorClass.Unavailable => 503,
        _ => 500,
    };

    /// <summary>
    /// The answer to a request whose fields are invalid (400, each field's messages): the same problem whichever door the request
    /// came through (the HTTP API, or <c>imred --connection</c> scheduling on the task hub directly).
    /// </summary>
    public static Problem Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new("Invalid request", 400, "One or more fields are invalid; see errors.", errors);

    /// <summary>The field error of an input blob that does not exist (checked before any instance is scheduled).</summary>
    public static Dictionary<string, string[]> MissingInput(Storage.BlobPath input) => new() { ["input"] = [$"blob '{input}' does not exist"] };
}
