using ImageReducer.Engine;
using ImageReducer.Engine.Mapping;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Reduction;

/// <summary>What every step needs: the store, the mappers, the limits and the engine's parallelism.</summary>
/// <param name="Store">Where inputs, intermediates and outputs live (shared, thread-safe).</param>
/// <param name="Mappers">The mapper registry (built-ins plus any plug-ins).</param>
/// <param name="Limits">Budgets checked when planning.</param>
/// <param name="Engine">Cell parallelism inside one tile.</param>
public sealed record ReductionServices(IBlobStore Store, MapperRegistry Mappers, WorkflowLimits Limits, EngineOptions Engine)
{
    /// <summary>
    /// Whether the reduce step reads an exposure output back once to record its SHA-256 in the
    /// metadata (default true). It is the run's only download of pixels: about one output's worth of
    /// bytes at the store's read speed (see docs/benchmarks.md); turn it off to skip that cost.
    /// </summary>
    public bool HashOutputs { get; init; } = true;

    /// <summary>Services with the built-in mappers, default limits and all cores.</summary>
    public static ReductionServices Create(IBlobStore store) => new(store, new MapperRegistry(), WorkflowLimits.Default, EngineOptions.Default);
}
