using System.Text.Json;
using System.Text.Json.Serialization;
using ImageReducer.Engine.Errors;
using ImageReducer.Workflow.Api;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Cli.Remote;

/// <summary>
/// A reduction or night as the CLI reports it (the <c>--json</c> document of <c>submit</c>, <c>status</c> and <c>night</c>):
/// the API's status document with the orchestration output interpreted.
/// </summary>
/// <param name="Id">The instance id.</param>
/// <param name="StatusUrl">Where the status is read (<c>GET</c>, with the function key).</param>
/// <param name="RuntimeStatus">Durable status as the API gave it.</param>
/// <param name="Outcome"><c>running</c> (not ended, including pending and suspended), <c>succeeded</c> or <c>failed</c>.</param>
/// <param name="Phase">The orchestration's phase, when it reported one.</param>
/// <param name="Done">Tiles mapped (a night: exposures finished).</param>
/// <param name="Total">Tiles in the plan (a night: exposures).</param>
/// <param name="Output">The output blob (a night: its report), as <c>az://container/name</c>.</param>
/// <param name="Error">Why it failed.</param>
/// <param name="CreatedAt">When it was scheduled.</param>
/// <param name="LastUpdatedAt">Its last change.</param>
/// <param name="Summary">The orchestration's output as returned (a reduction's summary: sizes, tiles, cells, metadata blob).</param>
internal sealed record RemoteRun(string Id, string StatusUrl, string RuntimeStatus, string Outcome, string? Phase, int Done, int Total,
    string? Output, string? Error, DateTimeOffset? CreatedAt, DateTimeOffset? LastUpdatedAt, JsonElement? Summary)
{
    /// <summary><see cref="Outcome"/> of a run that has not ended.</summary>
    public const string Running = "running";
    /// <summary><see cref="Outcome"/> of a run that ended with its output written.</summary>
    public const string Succeeded = "succeeded";
    /// <summary><see cref="Outcome"/> of a run that ended without output.</summary>
    public const string Failed = "failed";

    /// <summary>The run has ended (succeeded or failed).</summary>
    [JsonIgnore]
    public bool HasEnded => Outcome != Running;

    /// <summary>For a night: its batches, those done, its lanes, and its exposures failed and skipped so far (what its progress shows besides exposures).</summary>
    [JsonIgnore]
    public NightCounts? Night { get; init; }

    /// <summary>Cells of the grid, from a reduction's summary.</summary>
    [JsonIgnore]
    public long? Cells => RemoteJson.Integer(Summary, "cells");

    /// <summary>Tiles mapped, from a reduction's summary.</summary>
    [JsonIgnore]
    public long? Tiles => RemoteJson.Integer(Summary, "tiles");

    /// <summary>Output size in bytes, from a reduction's summary.</summary>
    [JsonIgnore]
    public long? OutputBytes => RemoteJson.Integer(Summary, "outputBytes");

    /// <summary>The classified failure of a reduction's summary (its class and code), when it reported one.</summary>
    [JsonIgnore]
    public ErrorInfo? ErrorDetail => RemoteJson.Property(Summary, "errorDetail") is { } detail
        && RemoteJson.String(detail, "class") is { } name && Enum.TryParse(name, ignoreCase: true, out ErrorClass errorClass)
        && RemoteJson.String(detail, "code") is { } code
            ? new ErrorInfo(errorClass, code, RemoteJson.String(detail, "message") ?? Error ?? "")
            : null;

    /// <summary>Interprets <paramref name="status"/>.</summary>
    /// <exception cref="FormatException">The document lacks its id or runtime status.</exception>
    public static RemoteRun From(StatusDocument status, string statusUrl)
    {
        if (string.IsNullOrEmpty(status.Id) || string.IsNullOrEmpty(status.RuntimeStatus))
            throw new FormatException("the status document has no 'id' or 'runtimeStatus'");
        JsonElement? summary = status.Output is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } o ? o : null;
        // A reduction's summary carries its own status: a rejected input completes the orchestration with a failure record.
        bool? summarySucceeded = SummaryStatus(summary);
        // A night completes even when some of its exposures failed; its progress counts them.
        int failedExposures = status.Progress?.Failed ?? 0;
        string outcome = status.RuntimeStatus.ToLowerInvariant() switch
        {
            "completed" => summarySucceeded == false || failedExposures > 0 ? Failed : Succeeded,
            "failed" or "terminated" or "canceled" => Failed,
            _ => Running,
        };
        string? error = status.Failure
            ?? RemoteJson.String(summary, "error")
            ?? (outcome == Failed ? status.Progress?.Error : null)
            ?? (outcome == Failed ? $"the orchestration is {status.RuntimeStatus.ToLowerInvariant()}" : null);
        string? output = RemoteJson.BlobText(RemoteJson.Property(summary, "output"))
            ?? RemoteJson.BlobText(summary) // a night's output is its report's path
            ?? (status.Progress?.Output is { } progressOutput ? BlobPath.Scheme + progressOutput : null);
        return new RemoteRun(status.Id, statusUrl, status.RuntimeStatus, outcome, status.Progress?.Phase,
            status.Progress?.TilesDone ?? 0, status.Progress?.TilesTotal ?? 0, outcome == Failed && failedExposures == 0 ? null : output, error,
            status.CreatedAt, status.LastUpdatedAt, summary)
        {
            Night = status.Progress is { Batches: > 0 } p ? new NightCounts(p.Batches, p.BatchesDone, p.Lanes, p.Failed, p.Skipped) : null,
        };
    }

    // ReductionStatus is written as a word by the API's conventions but as its number (Succeeded = 0, Failed = 1)
    // by a data converter without an enum converter; both are accepted.
    private static bool? SummaryStatus(JsonElement? summary) => RemoteJson.Property(summary, "status") switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString()!.Equals("succeeded", StringComparison.OrdinalIgnoreCase) ? true
            : s.GetString()!.Equals("failed", StringComparison.OrdinalIgnoreCase) ? false : null,
        { ValueKind: JsonValueKind.Number } n => n.TryGetInt32(out int v) ? v switch { 0 => true, 1 => false, _ => null } : null,
        _ => null,
    };
}

/// <summary>A night's counts besides its exposures done: batches listed and done, lanes, exposures failed and skipped.</summary>
internal sealed record NightCounts(int Batches, int BatchesDone, int Lanes, int Failed, int Skipped)
{
    /// <summary>One line: <c>12/53 batches, 40 lanes, 3 failed, 0 skipped</c> (lanes once the night reduces).</summary>
    public override string ToString() =>
        $"{BatchesDone}/{Batches} batches{(Lanes > 0 ? $", {Lanes} lanes" : "")}, {Failed} failed, {Skipped} skipped";
}
