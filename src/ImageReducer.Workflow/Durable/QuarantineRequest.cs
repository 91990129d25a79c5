using ImageReducer.Engine.Errors;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Durable;

/// <summary>Copy a rejected input to the quarantine container, with the reason beside it.</summary>
/// <param name="Input">The rejected input.</param>
/// <param name="Error">Why it was rejected.</param>
/// <param name="RunId">The run that rejected it, when planning got that far.</param>
public sealed record QuarantineRequest(BlobPath Input, ErrorInfo Error, string? RunId = null)
{
    /// <summary>The orchestration instance, for the activity's logs.</summary>
    public string? InstanceId { get; init; }
}
