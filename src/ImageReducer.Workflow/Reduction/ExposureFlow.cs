namespace ImageReducer.Workflow.Reduction;

/// <summary>
/// How one exposure's reduction is split into Durable activities (JSON: <c>auto</c>, <c>whole</c>, <c>tiled</c>). Every flow
/// writes the same output bytes and the same metadata result key; they differ in work items, memory and wall time
/// (docs/night-scale.md, "One activity per exposure").
/// </summary>
public enum ExposureFlow
{
    /// <summary>
    /// Whole where it fits: one activity when the exposure's estimated peak memory
    /// (<see cref="ExposureFlowPolicy.EstimatedBytes"/>) is within the activity memory budget
    /// (<c>ImageReducer__WholeExposureMemoryBytes</c>), else <see cref="Tiled"/>. The default of a night.
    /// </summary>
    Auto,

    /// <summary>
    /// One activity (<c>ReduceExposureWhole</c>) reads the whole input, runs the engine's in-process map-reduce and commits
    /// the output and its metadata: no plan, tile or reduce work items and no intermediate blobs. Used whatever the
    /// budget says: the caller takes the memory risk.
    /// </summary>
    Whole,

    /// <summary>
    /// Plan → MapTile × tiles → Reduce, the output assembled from the tiles' staged blocks: bounded memory per activity
    /// whatever the exposure's size, tiles in parallel on many instances. The default of a single reduction.
    /// </summary>
    Tiled,
}
