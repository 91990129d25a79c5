using Microsoft.Extensions.Logging;

namespace ImageReducer.Workflow.Durable.Hosting;

/// <summary>The storage-provider host's log records (event ids 1700–1719).</summary>
internal static partial class HostingLog
{
    [LoggerMessage(1700, LogLevel.Information,
        "Worker {WorkerId} serving task hub {TaskHub} on {Connection}: up to {MaxActivities} activities at once, queues polled at most {MaxPollingSeconds} s apart")]
    public static partial void WorkerStarted(ILogger logger, string workerId, string taskHub, string connection, int maxActivities, double maxPollingSeconds);

    [LoggerMessage(1701, LogLevel.Information, "Worker {WorkerId} stopping: finishing work items in flight and releasing task hub {TaskHub}'s leases")]
    public static partial void WorkerStopping(ILogger logger, string workerId, string taskHub);

    [LoggerMessage(1702, LogLevel.Information, "Worker {WorkerId} stopped; task hub {TaskHub} released")]
    public static partial void WorkerStopped(ILogger logger, string workerId, string taskHub);
}
