using System.Text.Json;

namespace ImageReducer.Workflow.Api;

/// <summary>What <c>GET /api/reductions/{id}</c> returns, for a reduction or a night.</summary>
/// <param name="Id">The instance id.</param>
/// <param name="RuntimeStatus">Durable status: Pending, Running, Completed, Failed, Terminated …</param>
/// <param name="CreatedAt">When it was scheduled.</param>
/// <param name="LastUpdatedAt">Last change.</param>
/// <param name="Progress">Phase and counts, when the orchestration has reported any.</param>
/// <param name="Output">The orchestration's output: a reduction summary, or a night's report path.</param>
/// <param name="Failure">The orchestration's failure message, if it failed.</param>
public sealed record StatusDocument(string? Id, string? RuntimeStatus, DateTimeOffset? CreatedAt, DateTimeOffset? LastUpdatedAt,
    ReductionProgress? Progress, JsonElement? Output, string? Failure)
{
    /// <summary>
    /// The run's classified failure, when its summary reports one: class, code, message and the HTTP status of the
    /// class (400 when the caller's settings refused the plan, 422 for a bad input…).
    /// </summary>
    public ApiError? Error { get; init; }

    private static readonly JsonSerializerOptions ReadOptions = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The document of one instance, whichever client read it (the Functions API's Durable client, the storage provider's
    /// task hub client): <see cref="Error"/> from the summary's classified failure, the failure message redacted.
    /// </summary>
    public static StatusDocument Of(string id, string runtimeStatus, DateTimeOffset createdAt, DateTimeOffset lastUpdatedAt,
        ReductionProgress? progress, JsonElement? output, string? failure) =>
        new(id, runtimeStatus, createdAt, lastUpdatedAt, progress, output, Security.SecretRedaction.Redact(failure))
        {
            Error = ErrorOf(output) is { } error ? ApiError.Of(error) : null,
        };

    // The orchestration output is written by the Durable data converter, whose naming the API does not control.
    private static Engine.Errors.ErrorInfo? ErrorOf(JsonElement? output)
    {
        if (output is not { ValueKind: JsonValueKind.Object } summary) return null;
        foreach (JsonProperty p in summary.EnumerateObject())
            if (p.Name.Equals("errorDetail", StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind == JsonValueKind.Object)
                return p.Value.Deserialize<Engine.Errors.ErrorInfo>(ReadOptions);
        return null;
    }
}
