namespace ImageReducer.Workflow.Reduction;

/// <summary>
/// Runs Plan → MapTile (in parallel, bounded) → Reduce in this process through the same steps the
/// Durable orchestrator calls, against any store: the CLI's <c>--tiles</c> mode.
/// </summary>
/// <remarks>
/// One line for a caller: <c>await new TiledReduction(ReductionServices.Create(store)).RunAsync(request)</c>.
/// Domain errors end the run with a failed summary; storage faults propagate.
/// </remarks>
public sealed class TiledReduction(ReductionServices services)
{
    private readonly PlanStep plan = new(services);
    private readonly MapTileStep mapTile = new(services);
    private readonly ReduceStep reduce = new(services);

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
        PlanSummary planned;
        var planClock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            planned = (await plan.RunAsync(request, cancellationToken).ConfigureAwait(false)).Summary with { Seconds = planClock.Elapsed.TotalSeconds };
        }
        catch (Exception e) when (DomainErrors.IsDomain(e))
        {
            return ReductionSummary.Failed(null, request.Input, DomainErrors.Describe(e));
        }

        var results = new TileResult[planned.TileCount];
        int done = 0;
        await Parallel.ForAsync(0, planned.TileCount,
            new ParallelOptions { MaxDegreeOfParallelism = maxConcurrentTiles, CancellationToken = cancellationToken },
            async (t, ct) =>
            {
                try
                {
                    results[t] = await mapTile.RunAsync(new TileTask(planned.Plan!, t), ct).ConfigureAwait(false);
                }
                catch (Exception e) when (DomainErrors.IsDomain(e))
                {
                    results[t] = TileResult.Failed(t, e);
                }
                progress?.Report((Interlocked.Increment(ref done), planned.TileCount));
            }).ConfigureAwait(false);

        try
        {
            return await reduce.RunAsync(new ReduceTask(planned.Plan!, results) { Input = request.Input, PlanSeconds = planned.Seconds, PlanBytesRead = planned.InputBytesRead }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (DomainErrors.IsDomain(e))
        {
            return ReductionSummary.Failed(planned.RunId, request.Input, DomainErrors.Describe(e), planned.TileCount, planned.CellCount);
        }
    }
}
