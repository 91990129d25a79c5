using ImageReducer.Workflow.Configuration;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ImageReducer.Workflow.Reduction;

/// <summary>
/// Runs an exposure's reduction in this process, against any store: the CLI's <c>run --tile-size</c> mode. The
/// flow is the Durable orchestration's own (<see cref="ReduceExposureFlow"/>), over the activity bodies
/// (<see cref="ReductionActivities"/>) called directly instead of through a task hub.
/// </summary>
/// <remarks>
/// <para>One line for a caller: <c>await new TiledReduction(ReductionServices.Create(store)).RunAsync(request)</c>.
/// Domain errors end the run with a failed summary; storage faults propagate (no retries here: the
/// caller sees the fault at once).</para>
/// <para>Unlike a Durable run, a local run does not quarantine a rejected input: the user gets the error and
/// keeps the file where it is.</para>
/// </remarks>
/// <param name="services">The steps' services.</param>
/// <param name="wholeExposureMemoryBytes">The memory budget of a whole-exposure step (<see cref="ExposureFlow.Auto"/> requests).</param>
public sealed class TiledReduction(ReductionServices services, long wholeExposureMemoryBytes = ExposureFlowPolicy.DefaultMemoryBudgetBytes)
{
    private readonly ReductionActivities activities = new(services, Options.Create(new ImageReducerOptions { WholeExposureMemoryBytes = wholeExposureMemoryBytes }),
        NullLogger<ReductionActivities>.Instance);

    /// <summary>Reduces <paramref name="request"/>.</summary>
    /// <param name="request">Input, output, configuration and tile size.</param>
    /// <param name="maxConcurrentTiles">Tiles mapped at once (≥ 1); each uses the engine's cell parallelism too.</param>
    /// <param name="progress">Receives (tiles done, tile count) after each tile.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public async Task<ReductionSummary> RunAsync(ReductionRequest request, int maxConcurrentTiles = 2,
        IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxConcurrentTiles);
        // A failed step leaves the tiles still in flight to this token: they stop rather than run on unobserved.
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Each in-process run is its own owner: two processes reducing the same input the same way to one output are
        // two runs, with their own work blobs and block ids (ReductionNames.RunId).
        var host = new ExposureFlowHost("local-" + Guid.NewGuid().ToString("N"), NullLogger.Instance,
            p => { if (p.Phase == "mapping" && p.TilesDone > 0) progress?.Report((p.TilesDone, p.TilesTotal)); }, maxConcurrentTiles);
        var steps = new LocalSteps(activities, run.Token);
        try
        {
            return await ReduceExposureFlow.RunAsync(steps, request, host).ConfigureAwait(false);
        }
        catch when (steps.Planned is { } planned)
        {
            // A fault (storage, cancellation) ended the run with no step to clean up after it, and no retry will come:
            // its work blobs and staged blocks go now, so nothing of it is left for a later run or the lifecycle rule.
            await run.CancelAsync().ConfigureAwait(false);
            await steps.WhenTilesStoppedAsync().ConfigureAwait(false);
            try
            {
                await ReduceStep.DiscardRunAsync(services.Store, request.Output, planned.RunId!, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception cleanup) when (cleanup is BlobStoreException or IOException)
            {
                // The run's own fault matters more; the infra's lifecycle rule removes what is left of it.
            }
            throw;
        }
        finally
        {
            await run.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The activity bodies called in this process: tiles on the thread pool, no quarantine.</summary>
    private sealed class LocalSteps(ReductionActivities activities, CancellationToken token) : IReductionSteps
    {
        private readonly List<Task> tiles = [];

        /// <summary>The plan, once the plan step has stored one.</summary>
        public PlanSummary? Planned { get; private set; }

        /// <summary>Waits until every tile started has ended (however), so a cleanup does not race a tile still staging.</summary>
        public async Task WhenTilesStoppedAsync()
        {
            Task[] started;
            lock (tiles) started = [.. tiles];
            try
            {
                await Task.WhenAll(started).ConfigureAwait(false);
            }
            catch
            {
                // Their faults are the run's, reported by the flow.
            }
        }

        public async Task<PlanSummary> PlanAsync(ReductionRequest request, CancellationToken cancellationToken = default)
        {
            PlanSummary plan = await activities.PlanAsync(request, token).ConfigureAwait(false);
            if (plan.Succeeded) Planned = plan;
            return plan;
        }

        public Task<TileResult> MapTileAsync(TileTask task, CancellationToken cancellationToken = default)
        {
            Task<TileResult> tile = Task.Run(() => activities.MapTileAsync(task, token), token);
            lock (tiles) tiles.Add(tile);
            return tile;
        }

        public Task<ReductionSummary> ReduceAsync(ReduceTask task, CancellationToken cancellationToken = default) =>
            activities.ReduceAsync(task, token);

        public Task<WholeExposureResult> ReduceWholeAsync(WholeExposureTask task, CancellationToken cancellationToken = default) =>
            activities.ReduceWholeAsync(task with { Quarantine = false }, token);

        public Task<BlobPath?> QuarantineAsync(QuarantineRequest request, CancellationToken cancellationToken = default) =>
            Task.FromResult<BlobPath?>(null);
    }
}
