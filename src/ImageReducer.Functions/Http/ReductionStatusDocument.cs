using System.Text.Json;
using ImageReducer.Engine.Errors;
using ImageReducer.Workflow.Api;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Security;
using Microsoft.DurableTask.Client;

namespace ImageReducer.Functions.Http;

/// <summary>What <c>GET /api/reductions/{id}</c> returns.</summary>
/// <param name="Id">The instance id.</param>
/// <param name="RuntimeStatus">Durable status (Pending, Running, Completed, Failed …).</param>
/// <param name="CreatedAt">When it was scheduled.</param>
/// <param name="LastUpdatedAt">Last change.</param>
/// <param name="Progress">Phase and tiles done / total.</param>
/// <param name="Output">The summary (status, output location, sizes) once finished.</param>
/// <param name="Failure">The orchestration's failure message, if it failed.</param>
public sealed record ReductionStatusDocument(string Id, string RuntimeStatus, DateTimeOffset CreatedAt, DateTimeOffset LastUpdatedAt,
    ReductionProgress? Progress, JsonElement? Output, string? Failure)
{
    private static readonly JsonSerializerOptions ReadOptions = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The run's classified failure, when its summary reports one: class, code, message and the HTTP status of the
    /// class (400 when the caller's settings refused the plan, 422 for a bad input…).
    /// </summary>
    public ApiError? Error { get; init; }

    /// <summary>The document of <paramref name="instance"/>.</summary>
    public static ReductionStatusDocument From(OrchestrationMetadata instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        JsonElement? output = instance.SerializedOutput is null ? null : instance.ReadOutputAs<JsonElement>();
        return new ReductionStatusDocument(instance.InstanceId, instance.RuntimeStatus.ToString(), instance.CreatedAt, instance.LastUpdatedAt,
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
