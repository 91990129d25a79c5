using Microsoft.Extensions.Logging;

namespace ImageReducer.Functions.Observability;

/// <summary>
/// The activities' log records (source-generated). They are written inside a <see cref="LogScope"/>
/// that adds <c>InstanceId</c>, <c>Exposure</c> and <c>TileIndex</c>; the message parameters add
/// the figures (seconds, bytes) as their own properties.
/// </summary>
public static partial class ActivityLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Plan of {Exposure}: run {RunId}, {Tiles} tiles, {Cells} cells, {BytesRead} bytes read in {Seconds:F3} s")]
    public static partial void Planned(ILogger logger, string exposure, string? runId, int tiles, int cells, long bytesRead, double seconds);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Plan of {Exposure} rejected: {Error}")]
    public static partial void PlanRejected(ILogger logger, string exposure, string error);

    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "Tile {TileIndex} mapped: {Cells} cells, {BytesRead} bytes read, {BytesWritten} bytes written in {Seconds:F3} s")]
    public static partial void TileMapped(ILogger logger, int tileIndex, int cells, long bytesRead, long bytesWritten, double seconds);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Tile {TileIndex} failed: {Error}")]
    public static partial void TileFailed(ILogger logger, int tileIndex, string error);

    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "Reduced to {Output}: {OutputBytes} bytes, {BytesRead} bytes read in {Seconds:F3} s")]
    public static partial void Reduced(ILogger logger, string? output, long outputBytes, long bytesRead, double seconds);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Reduce failed: {Error}")]
    public static partial void ReduceFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 1400, Level = LogLevel.Warning, Message = "Quarantined {Exposure} as {Copy}: {Reason}")]
    public static partial void Quarantined(ILogger logger, string exposure, string copy, string reason);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Nothing to quarantine: {Exposure} is gone ({Reason})")]
    public static partial void QuarantineSourceGone(ILogger logger, string exposure, string reason);

    [LoggerMessage(EventId = 1500, Level = LogLevel.Information, Message = "Night listed: {Count} exposures")]
    public static partial void NightListed(ILogger logger, int count);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "Night report written to {Report}: {Succeeded} succeeded, {Failed} failed")]
    public static partial void NightReportWritten(ILogger logger, string report, int succeeded, int failed);
}
