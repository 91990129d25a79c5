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
}
