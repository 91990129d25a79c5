using ImageReducer.Workflow.Nights;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using Microsoft.DurableTask;

namespace ImageReducer.Workflow.Durable;

/// <summary>
/// The one registration of the workflow: every orchestrator and activity, by <see cref="WorkflowNames"/>,
/// in a <see cref="DurableTaskRegistry"/>. Used by every host that runs the workflow outside the Functions
/// runtime (the storage-provider worker, the in-memory test host); the Functions <c>[Function]</c> entry
/// points call the same orchestration classes and activity bodies.
/// </summary>
public static class WorkflowRegistration
{
    /// <summary>
    /// Adds the orchestrations (<see cref="ReduceExposureOrchestration"/>, <see cref="ReduceNightOrchestration"/>)
    /// and the activities, whose bodies <paramref name="activities"/> gives for the host's services
    /// (usually the process's <see cref="ReductionActivities"/>; a test host may wrap it to count calls or inject faults).
    /// </summary>
    public static DurableTaskRegistry AddImageReducerWorkflow(this DurableTaskRegistry registry, Func<IServiceProvider, IWorkflowActivities> activities)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(activities);
        registry.AddOrchestratorFunc<ReductionRequest, ReductionSummary>(WorkflowNames.ReduceExposure,
            (context, request) => ReduceExposureOrchestration.RunAsync(context, Required(request, WorkflowNames.ReduceExposure)));
        Add<ReductionRequest, PlanSummary>(registry, WorkflowNames.Plan, activities, (a, input) => a.PlanAsync(input));
        Add<TileTask, TileResult>(registry, WorkflowNames.MapTile, activities, (a, input) => a.MapTileAsync(input));
        Add<ReduceTask, ReductionSummary>(registry, WorkflowNames.Reduce, activities, (a, input) => a.ReduceAsync(input));
        Add<WholeExposureTask, WholeExposureResult>(registry, WorkflowNames.ReduceExposureWhole, activities, (a, input) => a.ReduceWholeAsync(input));
        Add<QuarantineRequest, BlobPath?>(registry, WorkflowNames.Quarantine, activities, (a, input) => a.QuarantineAsync(input));
        return registry.AddNightWorkflow(activities);
    }

    /// <summary>
    /// Adds a night's orchestrations (<see cref="ReduceNightOrchestration"/>, <see cref="NightLaneOrchestration"/>,
    /// <see cref="NightBatchOrchestration"/>) and activities, without <c>ReduceExposure</c>: with
    /// <see cref="AddImageReducerWorkflow"/> for the real thing, or beside a stub <c>ReduceExposure</c> to test the
    /// night's orchestration alone at scale.
    /// </summary>
    public static DurableTaskRegistry AddNightWorkflow(this DurableTaskRegistry registry, Func<IServiceProvider, IWorkflowActivities> activities)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(activities);
        registry.AddOrchestratorFunc<NightRequest, BlobPath>(WorkflowNames.ReduceNight,
            (context, night) => ReduceNightOrchestration.RunAsync(context, Required(night, WorkflowNames.ReduceNight)));
        registry.AddOrchestratorFunc<NightLane, NightTotals>(WorkflowNames.ReduceNightLane,
            (context, lane) => NightLaneOrchestration.RunAsync(context, Required(lane, WorkflowNames.ReduceNightLane)));
        registry.AddOrchestratorFunc<NightBatch, NightTotals>(WorkflowNames.ReduceNightBatch,
            (context, batch) => NightBatchOrchestration.RunAsync(context, Required(batch, WorkflowNames.ReduceNightBatch)));
        Add<NightPageRequest, NightPage>(registry, WorkflowNames.ListNightPage, activities, (a, input) => a.ListNightPageAsync(input));
        Add<NightChunkRequest, NightChunk>(registry, WorkflowNames.ReadNightChunk, activities, (a, input) => a.ReadNightChunkAsync(input));
        Add<BatchPart, int>(registry, WorkflowNames.RecordBatchPart, activities, (a, input) => a.RecordBatchPartAsync(input));
        Add<NightFinish, NightSummary>(registry, WorkflowNames.FinishNight, activities, (a, input) => a.FinishNightAsync(input));
        return registry;
    }

    private static void Add<TInput, TOutput>(DurableTaskRegistry registry, string name, Func<IServiceProvider, IWorkflowActivities> activities,
        Func<IWorkflowActivities, TInput, Task<TOutput>> body) =>
        registry.AddActivity(name, services => new Activity<TInput, TOutput>(name, activities(services), body));

    private static T Required<T>(T? input, string name) where T : class =>
        input ?? throw new InvalidOperationException($"{name} needs a {typeof(T).Name} input.");

    /// <summary>One activity: its input, checked, handed to the body.</summary>
    private sealed class Activity<TInput, TOutput>(string name, IWorkflowActivities activities, Func<IWorkflowActivities, TInput, Task<TOutput>> body)
        : TaskActivity<TInput, TOutput>
    {
        public override Task<TOutput> RunAsync(TaskActivityContext context, TInput input) =>
            body(activities, input ?? throw new InvalidOperationException($"Activity {name} needs a {typeof(TInput).Name} input."));
    }
}
