using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Nights;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace ImageReducer.Functions.Triggers;

/// <summary>The orchestrator entry points; the logic lives in <see cref="ReduceExposureOrchestration"/> and the night's (<see cref="ReduceNightOrchestration"/> and its lanes and batches).</summary>
public static class Orchestrators
{
    [Function(WorkflowNames.ReduceExposure)]
    public static Task<ReductionSummary> ReduceExposure([OrchestrationTrigger] TaskOrchestrationContext context) =>
        ReduceExposureOrchestration.RunAsync(context, context.GetInput<ReductionRequest>()
            ?? throw new InvalidOperationException("ReduceExposure needs a ReductionRequest input."));

    [Function(WorkflowNames.ReduceNight)]
    public static Task<BlobPath> ReduceNight([OrchestrationTrigger] TaskOrchestrationContext context) =>
        ReduceNightOrchestration.RunAsync(context, context.GetInput<NightRequest>()
            ?? throw new InvalidOperationException("ReduceNight needs a NightRequest input."));

    [Function(WorkflowNames.ReduceNightLane)]
    public static Task<NightTotals> ReduceNightLane([OrchestrationTrigger] TaskOrchestrationContext context) =>
        NightLaneOrchestration.RunAsync(context, context.GetInput<NightLane>()
            ?? throw new InvalidOperationException("ReduceNightLane needs a NightLane input."));

    [Function(WorkflowNames.ReduceNightBatch)]
    public static Task<NightTotals> ReduceNightBatch([OrchestrationTrigger] TaskOrchestrationContext context) =>
        NightBatchOrchestration.RunAsync(context, context.GetInput<NightBatch>()
            ?? throw new InvalidOperationException("ReduceNightBatch needs a NightBatch input."));
}
