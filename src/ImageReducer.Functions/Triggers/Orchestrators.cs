using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Nights;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace ImageReducer.Functions.Triggers;

/// <summary>The orchestrator entry points; the logic lives in <see cref="ReduceExposureOrchestration"/> and <see cref="ReduceNightOrchestration"/>.</summary>
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
}
