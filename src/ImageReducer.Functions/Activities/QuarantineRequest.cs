using ImageReducer.Workflow.Storage;

namespace ImageReducer.Functions.Activities;

/// <summary>Copy a rejected input to the quarantine container, with the reason beside it.</summary>
/// <param name="Input">The rejected input.</param>
/// <param name="Reason">Why it was rejected.</param>
public sealed record QuarantineRequest(BlobPath Input, string Reason)
{
    /// <summary>The orchestration instance, for the activity's logs.</summary>
    public string? InstanceId { get; init; }
}
