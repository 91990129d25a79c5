using System.Text.Json;
using ImageReducer.Workflow.Api;
using Microsoft.DurableTask.Client;

namespace ImageReducer.Functions.Http;

/// <summary>The API's <see cref="StatusDocument"/> of a Durable instance.</summary>
public static class StatusDocuments
{
    /// <summary>The document of <paramref name="instance"/>, its failure message redacted (<see cref="StatusDocument.Of"/>).</summary>
    public static StatusDocument From(OrchestrationMetadata instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        JsonElement? output = instance.SerializedOutput is null ? null : instance.ReadOutputAs<JsonElement>();
        return StatusDocument.Of(instance.InstanceId, instance.RuntimeStatus.ToString(), instance.CreatedAt, instance.LastUpdatedAt,
            instance.SerializedCustomStatus is null ? null : instance.ReadCustomStatusAs<ReductionProgress>(),
            output, instance.FailureDetails?.ErrorMessage);
    }
}
