using ImageReducer.Functions.Configuration;
using ImageReducer.Workflow.Nights;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImageReducer.Functions.Activities;

/// <summary>
/// The activities' bodies, shared by the Functions entry points and the test host's registrations.
/// Domain errors (bad input, configuration, limits) become failure records — the Durable backend
/// would otherwise retry a failing message forever; storage faults propagate to the retry policy.
/// </summary>
public sealed class ReductionActivities(ReductionServices services, IOptions<ImageReducerOptions> options, ILogger<ReductionActivities> logger)
{
    private readonly PlanStep plan = new(services);
    private readonly MapTileStep mapTile = new(services);
    private readonly ReduceStep reduce = new(services);
    private readonly NightSteps night = new(services.Store);

    /// <summary>Plans a reduction; a domain error gives a summary with <see cref="PlanSummary.Error"/>.</summary>
    public async Task<PlanSummary> PlanAsync(ReductionRequest request, CancellationToken cancellationToken = default)
    {
        try
        {
            return (await plan.RunAsync(request, cancellationToken).ConfigureAwait(false)).Summary;
        }
        catch (Exception e) when (DomainErrors.IsDomain(e))
        {
            logger.LogWarning("Plan of {Input} rejected: {Error}", request.Input, e.Message);
            var error = DomainError.Of(e);
            return new PlanSummary(null, null, 0, 0, 0, error.ToString()) { ErrorDetail = error };
        }
    }

    /// <summary>Maps one tile; a domain error gives <see cref="TileResult.Failed(int, Exception)"/>.</summary>
    public async Task<TileResult> MapTileAsync(TileTask task, CancellationToken cancellationToken = default)
    {
        try
        {
            return await mapTile.RunAsync(task, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (DomainErrors.IsDomain(e))
        {
            logger.LogWarning("Tile {Tile} of {Plan} failed: {Error}", task.TileIndex, task.Plan, e.Message);
            return TileResult.Failed(task.TileIndex, e);
        }
    }

    /// <summary>Reduces the tiles; a domain error gives a failed summary.</summary>
    public async Task<ReductionSummary> ReduceAsync(ReduceTask task, CancellationToken cancellationToken = default)
    {
        try
        {
            return await reduce.RunAsync(task, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (DomainErrors.IsDomain(e))
        {
            logger.LogWarning("Reduce of {Plan} failed: {Error}", task.Plan, e.Message);
            var loaded = await PlanStep.LoadAsync(services.Store, task.Plan, cancellationToken).ConfigureAwait(false);
            return ReductionSummary.Failed(loaded.RunId, loaded.Input, DomainErrors.Describe(e), loaded.Tiles.Length, loaded.Cells.Length);
        }
    }

    /// <summary>
    /// Copies a rejected input into the quarantine container (as <c>&lt;container&gt;/&lt;name&gt;</c>) with a
    /// <see cref="QuarantineRecord"/> JSON (<c>.error.json</c>) beside it; returns the copy, or null when the input is gone.
    /// </summary>
    public async Task<BlobPath?> QuarantineAsync(QuarantineRequest request, CancellationToken cancellationToken = default)
    {
        string container = options.Value.QuarantineContainer;
        var copy = new BlobPath(container, request.Input.Container + "/" + request.Input.Name);
        try
        {
            await services.Store.CopyAsync(request.Input, copy, overwrite: true, cancellationToken).ConfigureAwait(false);
        }
        catch (BlobNotFoundException)
        {
            return null; // nothing left to quarantine
        }
        var record = new QuarantineRecord(request.Input, copy, request.Error.ErrorClass, request.Error.ErrorCode, request.Error.Message,
            request.RunId, DateTimeOffset.UtcNow);
        using var json = new MemoryStream(WorkflowJson.SerializeToUtf8(record), writable: false);
        await services.Store.WriteAsync(QuarantineRecord.PathOf(copy), json, overwrite: true, cancellationToken).ConfigureAwait(false);
        return copy;
    }

    /// <summary>Lists the exposures of a night.</summary>
    public Task<NightExposure[]> ListNightAsync(NightRequest request, CancellationToken cancellationToken = default) =>
        night.ListAsync(request, cancellationToken);

    /// <summary>Writes a night's report.</summary>
    public Task<BlobPath> WriteNightReportAsync(NightReport report, CancellationToken cancellationToken = default) =>
        night.WriteReportAsync(report, cancellationToken);
}
