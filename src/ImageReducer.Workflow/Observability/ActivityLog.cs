using Microsoft.Extensions.Logging;

namespace ImageReducer.Workflow.Observability;

/// <summary>
/// The activities' log records (source-generated). They are written inside a <see cref="LogScope"/>
/// that adds <c>InstanceId</c>, <c>Exposure</c> and <c>TileIndex</c>; the message parameters add
/// the figures (seconds, bytes) as their own properties.
/// </summary>
public static partial class ActivityLog
{
    /// <summary>Logs "Plan of {Exposure}: run {RunId}, {Tiles} tiles, {Cells} cells, {BytesRead} bytes read in {Seconds:F3} s".</summary>
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Plan of {Exposure}: run {RunId}, {Tiles} tiles, {Cells} cells, {BytesRead} bytes read in {Seconds:F3} s")]
    public static partial void Planned(ILogger logger, string exposure, string? runId, int tiles, int cells, long bytesRead, double seconds);

    /// <summary>Logs "Plan of {Exposure} rejected: {Error}".</summary>
    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Plan of {Exposure} rejected: {Error}")]
    public static partial void PlanRejected(ILogger logger, string exposure, string error);

    /// <summary>Logs "Tile {TileIndex} mapped: {Cells} cells, {BytesRead} bytes read, {BytesWritten} bytes written in {Seconds:F3} s".</summary>
    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "Tile {TileIndex} mapped: {Cells} cells, {BytesRead} bytes read, {BytesWritten} bytes written in {Seconds:F3} s")]
    public static partial void TileMapped(ILogger logger, int tileIndex, int cells, long bytesRead, long bytesWritten, double seconds);

    /// <summary>Logs "Tile {TileIndex} failed: {Error}".</summary>
    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Tile {TileIndex} failed: {Error}")]
    public static partial void TileFailed(ILogger logger, int tileIndex, string error);

    /// <summary>Logs "Reduced to {Output}: {OutputBytes} bytes, {BytesRead} bytes read in {Seconds:F3} s".</summary>
    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "Reduced to {Output}: {OutputBytes} bytes, {BytesRead} bytes read in {Seconds:F3} s")]
    public static partial void Reduced(ILogger logger, string? output, long outputBytes, long bytesRead, double seconds);

    /// <summary>Logs "Reduce failed: {Error}".</summary>
    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Reduce failed: {Error}")]
    public static partial void ReduceFailed(ILogger logger, string error);

    /// <summary>Logs that an exposure is left to the tiled flow: its whole-activity estimate is over the memory budget.</summary>
    [LoggerMessage(EventId = 1302, Level = LogLevel.Information,
        Message = "{Exposure} is reduced tiled: {Pixels} pixels need about {EstimatedBytes} bytes whole, over the {BudgetBytes}-byte activity budget")]
    public static partial void WholeDeclined(ILogger logger, string exposure, long pixels, long estimatedBytes, long budgetBytes);

    /// <summary>Logs "Quarantined {Exposure} as {Copy}: {Reason}".</summary>
    [LoggerMessage(EventId = 1400, Level = LogLevel.Warning, Message = "Quarantined {Exposure} as {Copy}: {Reason}")]
    public static partial void Quarantined(ILogger logger, string exposure, string copy, string reason);

    /// <summary>Logs "Nothing to quarantine: {Exposure} is gone ({Reason})".</summary>
    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Nothing to quarantine: {Exposure} is gone ({Reason})")]
    public static partial void QuarantineSourceGone(ILogger logger, string exposure, string reason);

    /// <summary>Logs "Night page {Page} listed: {Listed} blobs, {Exposures} exposures in {Batches} batches".</summary>
    [LoggerMessage(EventId = 1500, Level = LogLevel.Information, Message = "Night page {Page} listed: {Listed} blobs, {Exposures} exposures in {Batches} batches")]
    public static partial void NightListed(ILogger logger, int page, int listed, int exposures, int batches);

    /// <summary>Logs "Night report written to {Report}: {Succeeded} succeeded, {Failed} failed, {Skipped} skipped".</summary>
    [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "Night report written to {Report}: {Succeeded} succeeded, {Failed} failed, {Skipped} skipped")]
    public static partial void NightReportWritten(ILogger logger, string report, int succeeded, int failed, int skipped);

    /// <summary>Logs "Batch {Batch} part {Part} recorded: {Entries} exposures, {Purged} instances purged".</summary>
    [LoggerMessage(EventId = 1502, Level = LogLevel.Information, Message = "Batch {Batch} part {Part} recorded: {Entries} exposures, {Purged} instances purged")]
    public static partial void BatchPartRecorded(ILogger logger, int batch, int part, int entries, int purged);

    /// <summary>Logs "Purge of {Count} exposure instances failed (they stay in the task hub): {Reason}".</summary>
    [LoggerMessage(EventId = 1503, Level = LogLevel.Warning, Message = "Purge of {Count} exposure instances failed (they stay in the task hub): {Reason}")]
    public static partial void PurgeFailed(ILogger logger, int count, string reason);
}
