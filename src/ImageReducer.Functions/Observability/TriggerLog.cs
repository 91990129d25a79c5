using Microsoft.Extensions.Logging;

namespace ImageReducer.Functions.Observability;

/// <summary>The blob trigger's log records (source-generated).</summary>
public static partial class TriggerLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Warning, Message = "Event for {Blob} refused, nothing started: {Reason}")]
    public static partial void EventRefused(ILogger logger, string blob, string reason);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Event for {Exposure} ignored: the blob no longer exists")]
    public static partial void BlobGone(ILogger logger, string exposure);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Event for {Blob} ignored: not an exposure name (ImageReducer__ExposureSuffixes: {Suffixes})")]
    public static partial void NotAnExposure(ILogger logger, string blob, string suffixes);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "{Exposure} ({ETag}): instance {InstanceId} {What}")]
    public static partial void Started(ILogger logger, string exposure, string etag, string instanceId, string what);
}
