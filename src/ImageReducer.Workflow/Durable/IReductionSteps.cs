using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Durable;

/// <summary>
/// The steps an exposure's reduction calls, as <see cref="ReduceExposureFlow"/> sees them. Two kinds of
/// implementation: Durable activity calls (<see cref="ActivityCalls"/>, replay-safe, retried) and the
/// activity bodies called directly in this process (<see cref="ReductionActivities"/>, via
/// <see cref="Reduction.TiledReduction"/>). Domain errors come back as failure records, never as exceptions.
/// </summary>
public interface IReductionSteps
{
    /// <summary>Plans a reduction; a rejected input gives a summary with <see cref="PlanSummary.Error"/>.</summary>
    Task<PlanSummary> PlanAsync(ReductionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Maps one tile and stages its blocks; a domain error gives a failed <see cref="TileResult"/>.</summary>
    Task<TileResult> MapTileAsync(TileTask task, CancellationToken cancellationToken = default);

    /// <summary>Commits the output from the tiles' blocks; a domain error gives a failed summary.</summary>
    Task<ReductionSummary> ReduceAsync(ReduceTask task, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reduces an exposure whole in one step, or declines (a result without a summary) when its flow is
    /// <see cref="ExposureFlow.Auto"/> and it does not fit the activity memory budget; a domain error gives a failed summary.
    /// </summary>
    Task<WholeExposureResult> ReduceWholeAsync(WholeExposureTask task, CancellationToken cancellationToken = default);

    /// <summary>Copies a rejected input to quarantine; returns the copy, or null when there is none.</summary>
    Task<BlobPath?> QuarantineAsync(QuarantineRequest request, CancellationToken cancellationToken = default);
}
