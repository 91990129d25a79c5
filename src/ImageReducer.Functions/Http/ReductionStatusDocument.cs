using System.Text.Json;
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
    /// <summary>The document of <paramref name="instance"/>.</summary>
    public static ReductionStatusDocument From(OrchestrationMetadata instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return new ReductionStatusDocument(instance.InstanceId, instance.RuntimeStatus.ToString(), instance.CreatedAt, instance.LastUpdatedAt,
            instance.SerializedCustomStatus is null ? null : instance.ReadCustomStatusAs<ReductionProgress>(),
            instance.SerializedOutput is null ? null : instance.ReadOutputAs<JsonElement>(),
            Workflow.Security.SecretRedaction.Redact(instance.FailureDetails?.ErrorMessage));
    }
}
