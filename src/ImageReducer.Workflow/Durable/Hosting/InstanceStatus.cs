using System.Text.Json;
using ImageReducer.Workflow.Api;
using Microsoft.DurableTask.Converters;

namespace ImageReducer.Workflow.Durable.Hosting;

/// <summary>One orchestration instance as the task hub records it (what <see cref="StorageProviderClient.GetAsync"/> reads).</summary>
/// <param name="InstanceId">The instance id.</param>
/// <param name="Name">The orchestration's name (<see cref="WorkflowNames"/>).</param>
/// <param name="RuntimeStatus">Pending, Running, Completed, Failed, Terminated, Suspended… (the names the Durable clients use).</param>
/// <param name="CreatedAt">When it was scheduled.</param>
/// <param name="LastUpdatedAt">Its last change.</param>
/// <param name="SerializedCustomStatus">The custom status as JSON (a <see cref="Api.ReductionProgress"/>), when set.</param>
/// <param name="SerializedOutput">The output as JSON, once completed.</param>
/// <param name="FailureMessage">Why it failed, when it did.</param>
public sealed record InstanceStatus(string InstanceId, string Name, string RuntimeStatus, DateTimeOffset CreatedAt, DateTimeOffset LastUpdatedAt,
    string? SerializedCustomStatus, string? SerializedOutput, string? FailureMessage)
{
    /// <summary>The instance has ended (completed, failed, terminated or canceled) and will not change by itself.</summary>
    public bool HasEnded => RuntimeStatus is "Completed" or "Failed" or "Terminated" or "Canceled";

    /// <summary>The API's status document of this instance (what <c>GET /api/reductions/{id}</c> would answer).</summary>
    public StatusDocument ToStatusDocument()
    {
        // Written by the shims with the SDK's converter, so read with it.
        ReductionProgress? progress = SerializedCustomStatus is null ? null : JsonDataConverter.Default.Deserialize<ReductionProgress>(SerializedCustomStatus);
        JsonElement? output = null;
        if (SerializedOutput is not null)
        {
            using JsonDocument document = JsonDocument.Parse(SerializedOutput);
            output = document.RootElement.Clone();
        }
        return StatusDocument.Of(InstanceId, RuntimeStatus, CreatedAt, LastUpdatedAt, progress, output, FailureMessage);
    }
}
