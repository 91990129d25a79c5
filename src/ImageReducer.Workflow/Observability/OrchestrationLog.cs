using Microsoft.Extensions.Logging;

namespace ImageReducer.Workflow.Observability;

/// <summary>
/// The orchestrations' log records (source-generated), written through
/// <c>context.CreateReplaySafeLogger</c> so a replay does not repeat them. Orchestrations hold no
/// logging scope across awaits, so each record names <c>InstanceId</c> and <c>Exposure</c> itself.
/// </summary>
public static partial class OrchestrationLog
{
    /// <summary>Logs "Instance {InstanceId}: {Exposure} rejected at planning: {Error}".</summary>
    [LoggerMessage(EventId = 3000, Level = LogLevel.Warning, Message = "Instance {InstanceId}: {Exposure} rejected at planning: {Error}")]
    public static partial void Rejected(ILogger logger, string instanceId, string exposure, string error);

    /// <summary>Logs "Instance {InstanceId}: {Exposure} run {RunId}, {Tiles} tiles, {Cells} cells".</summary>
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Instance {InstanceId}: {Exposure} run {RunId}, {Tiles} tiles, {Cells} cells")]
    public static partial void Planned(ILogger logger, string instanceId, string exposure, string? runId, int tiles, int cells);

    /// <summary>Logs "Instance {InstanceId}: {Exposure} reduced to {Output} ({OutputBytes} bytes)".</summary>
    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Instance {InstanceId}: {Exposure} reduced to {Output} ({OutputBytes} bytes)")]
    public static partial void Succeeded(ILogger logger, string instanceId, string exposure, string? output, long outputBytes);

    /// <summary>Logs "Instance {InstanceId}: {Exposure} failed: {Error}".</summary>
    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Instance {InstanceId}: {Exposure} failed: {Error}")]
    public static partial void Failed(ILogger logger, string instanceId, string exposure, string? error);

    /// <summary>Logs "Instance {InstanceId}: night {Night}, {Count} exposures".</summary>
    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "Instance {InstanceId}: night {Night}, {Count} exposures")]
    public static partial void NightListed(ILogger logger, string instanceId, string night, int count);

    /// <summary>Logs "Instance {InstanceId}: night {Night} report {Report}, {Succeeded} succeeded, {Failed} failed".</summary>
    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Instance {InstanceId}: night {Night} report {Report}, {Succeeded} succeeded, {Failed} failed")]
    public static partial void NightDone(ILogger logger, string instanceId, string night, string report, int succeeded, int failed);
}
