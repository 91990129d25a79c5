using ImageReducer.Workflow.Reduction;
using Microsoft.DurableTask;

namespace ImageReducer.Workflow.Durable;

/// <summary>
/// The <c>ReduceExposure</c> orchestration: <see cref="ReduceExposureFlow"/> over Durable activity calls,
/// with the replay-safe logger and the custom status (phase, tiles done / total). Activities return
/// small records; pixels stay in blob storage.
/// </summary>
/// <remarks>
/// Tiles are fanned out with at most <see cref="TileWindow"/> in flight, so a plan of thousands of
/// tiles does not flood the queues. Activity calls retry transient faults with back-off, a few times;
/// domain errors come back as failure records and are not retried.
/// </remarks>
public static class ReduceExposureOrchestration
{
    /// <summary>Most MapTile activities in flight per exposure.</summary>
    public const int TileWindow = 256;

    /// <summary>Retry for transient faults: 4 attempts, 1 s then doubling, at most 30 s apart.</summary>
    public static TaskOptions Retry { get; } = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 4, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromSeconds(30)));

    /// <summary>Runs one exposure.</summary>
    public static Task<ReductionSummary> RunAsync(TaskOrchestrationContext context, ReductionRequest request)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var host = new ExposureFlowHost(context.InstanceId, context.CreateReplaySafeLogger(typeof(ReduceExposureOrchestration).FullName!),
            progress => context.SetCustomStatus(progress), TileWindow);
        return ReduceExposureFlow.RunAsync(new ActivityCalls(context), request, host);
    }
}
