using System.Text.Json;
using ImageReducer.Engine.Errors;
using ImageReducer.Workflow.Api;
using ImageReducer.Workflow.Security;
using Microsoft.DurableTask.Client;

namespace ImageReducer.Functions.Http;

/// <summary>The API's <see cref="StatusDocument"/> of a Durable instance.</summary>
public static class StatusDocuments
{
    private static readonly JsonSerializerOptions ReadOptions = new(JsonSerializerDefaults.Web);

    /// <summary>The document of <paramref name="instance"/>, its failure message redacted.</summary>
    public static StatusDocument From(OrchestrationMetadata instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        JsonElement? output = instance.SerializedOutput is null ? null : instance.ReadOutputAs<JsonElement>();
        return new StatusDocument(instance.InstanceId, instance.RuntimeStatus.ToString(), instance.CreatedAt, instance.LastUpdatedAt,
            instance.SerializedCustomStatus is null ? null : instance.ReadCustomStatusAs<ReductionProgress>(),
            output, SecretRedaction.Redact(instance.FailureDetails?.ErrorMessage))
        {
            Error = ErrorOf(output) is { } error ? ApiError.Of(error) : null,
        };
    }

    // The orchestration output is written by the Durable data converter, whose naming the API does not control.
    private static ErrorInfo? ErrorOf(JsonElement? output)
    {
        if (output is not { ValueKind: JsonValueKind.Object } summary) return null;
        foreach (JsonProperty p in summary.EnumerateObject())
            if (p.Name.Equals("errorDetail", StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind == JsonValueKind.Object)
                return p.Value.Deserialize<ErrorInfo>(ReadOptions);
        return null;
    }
}
