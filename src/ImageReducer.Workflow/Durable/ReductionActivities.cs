using System.Diagnostics;
using ImageReducer.Engine.Errors;
using ImageReducer.Workflow.Configuration;
using ImageReducer.Workflow.Nights;
using ImageReducer.Workflow.Observability;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Security;
using ImageReducer.Workflow.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImageReducer.Workflow.Durable;

/// <summary>
/// The activities' bodies, one instance per process: what <see cref="WorkflowRegistration"/> registers for
/// every Durable host (the Functions entry points call the same methods) and what
/// <see cref="Reduction.TiledReduction"/> calls directly.
/// Domain errors (bad input, configuration, limits) become failure records — the Durable backend
/// would otherwise retry a failing message forever; storage faults propagate to the retry policy.
/// </summary>
/// <remarks>
/// Each activity logs inside a <see cref="LogScope"/> (<c>InstanceId</c>, <c>Exposure</c>, and
/// <c>TileIndex</c> for MapTile). Error texts that go into failure records, and from there into the
/// orchestration output, the metadata, the night report and the quarantine reason, pass through
/// <see cref="SecretRedaction"/>.
/// </remarks>
/// <param name="services">The steps' services.</param>
/// <param name="options">The app's settings.</param>
/// <param name="logger">Where the activities log.</param>
/// <param name="purger">Purges a night's recorded exposure instances; null on a host that cannot (nothing is purged).</param>
public sealed class ReductionActivities(ReductionServices services, IOptions<ImageReducerOptions> options, ILogger<ReductionActivities> logger,
    IInstancePurger? purger = null) : IWorkflowActivities
{
    private readonly PlanStep plan = new(services);
    private readonly MapTileStep mapTile = new(services);
    private readonly ReduceStep reduce = new(services);
    private readonly WholeExposureStep whole = new(services);
    private readonly NightSteps night = new(services.Store, options.Value.IsExposureName);

    /// <inheritdoc/>
    public async Task<PlanSummary> PlanAsync(ReductionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var scope = logger.BeginScope(LogScope.Exposure(request.InstanceId, request.Input));
        var clock = Stopwatch.StartNew();
        try
        {
            PlanSummary summary = (await plan.RunAsync(request, cancellationToken).ConfigureAwait(false)).Summary with { Seconds = clock.Elapsed.TotalSeconds };
            ActivityLog.Planned(logger, request.Input.ToString(), summary.RunId, summary.TileCount, summary.CellCount, summary.InputBytesRead, summary.Seconds);
            return summary;
        }
        catch (Exception e) when (DomainErrors.IsDomain(e))
        {
            ErrorInfo error = Classify(e);
            ActivityLog.PlanRejected(logger, request.Input.ToString(), error.ToString());
            return PlanSummary.Failed(error) with { Seconds = clock.Elapsed.TotalSeconds };
        }
    }

    /// <inheritdoc/>
    public async Task<TileResult> MapTileAsync(TileTask task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        using var scope = logger.BeginScope(LogScope.Exposure(task.InstanceId, task.Input, task.TileIndex));
        try
        {
            TileResult result = await mapTile.RunAsync(task, cancellationToken).ConfigureAwait(false);
            if (result.Succeeded)
                ActivityLog.TileMapped(logger, task.TileIndex, result.CellsMapped, result.BytesRead, result.BytesWritten, result.Seconds);
            else
                ActivityLog.TileFailed(logger, task.TileIndex, result.Error!);
            return result;
        }
        catch (Exception e) when (DomainErrors.IsDomain(e))
        {
            ErrorInfo error = Classify(e);
            ActivityLog.TileFailed(logger, task.TileIndex, error.ToString());
            TileResult failed = TileResult.Failed(task.TileIndex, error);
            await TileRecords.WriteAsync(services.Store, task.Plan, failed, cancellationToken).ConfigureAwait(false);
            return failed;
        }
    }

    /// <inheritdoc/>
    public async Task<ReductionSummary> ReduceAsync(ReduceTask task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        using var scope = logger.BeginScope(LogScope.Exposure(task.InstanceId, task.Input));
        var clock = Stopwatch.StartNew();
        try
        {
            ReductionSummary summary = await reduce.RunAsync(task, cancellationToken).ConfigureAwait(false);
            if (summary.Status == ReductionStatus.Succeeded)
                ActivityLog.Reduced(logger, summary.Output?.ToString(), summary.OutputBytes, summary.ReduceBytesRead, clock.Elapsed.TotalSeconds);
            else
                ActivityLog.ReduceFailed(logger, summary.Error ?? "(no reason)");
            return summary with
            {
                Error = SecretRedaction.Redact(summary.Error),
                ErrorDetail = summary.ErrorDetail is { } d ? d with { Message = SecretRedaction.Redact(d.Message)! } : null,
            };
        }
        catch (Exception e) when (DomainErrors.IsDomain(e))
        {
            ErrorInfo error = Classify(e);
            ActivityLog.ReduceFailed(logger, error.ToString());
            var loaded = await PlanStep.LoadAsync(services.Store, task.Plan, cancellationToken).ConfigureAwait(false);
            return ReductionSummary.Failed(loaded.RunId, loaded.Input, error, loaded.Tiles.Length, loaded.Cells.Length);
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The memory budget is the app's (<see cref="ImageReducerOptions.WholeExposureMemoryBytes"/>). A bad input is quarantined
    /// here when <see cref="WholeExposureTask.Quarantine"/> says so, so a night needs no other work item for it.
    /// </remarks>
    public async Task<WholeExposureResult> ReduceWholeAsync(WholeExposureTask task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        ReductionRequest request = task.Request ?? throw new ArgumentException("the task has no request", nameof(task));
        using var scope = logger.BeginScope(LogScope.Exposure(request.InstanceId, request.Input));
        var clock = Stopwatch.StartNew();
        try
        {
            WholeExposureResult result = await whole.RunAsync(task, options.Value.WholeExposureMemoryBytes, cancellationToken).ConfigureAwait(false);
            if (result.Summary is { } summary)
                ActivityLog.Reduced(logger, summary.Output?.ToString(), summary.OutputBytes, summary.ReduceBytesRead, clock.Elapsed.TotalSeconds);
            else
                ActivityLog.WholeDeclined(logger, request.Input.ToString(), result.Pixels, result.EstimatedBytes, options.Value.WholeExposureMemoryBytes);
            return result;
        }
        catch (Exception e) when (DomainErrors.IsDomain(e))
        {
            ErrorInfo error = Classify(e);
            ActivityLog.ReduceFailed(logger, error.ToString());
            ReductionSummary failed = ReductionSummary.Failed(null, request.Input, error) with { ActivitySeconds = clock.Elapsed.TotalSeconds };
            BlobPath? quarantined = task.Quarantine && DomainErrors.Quarantines(error)
                ? await QuarantineAsync(new QuarantineRequest(request.Input, error) { InstanceId = request.InstanceId }, cancellationToken).ConfigureAwait(false)
                : null;
            return new WholeExposureResult(failed, 0, 0) { Quarantined = quarantined };
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The copy goes to the quarantine container as <c>&lt;container&gt;/&lt;name&gt;</c>, with a
    /// <see cref="QuarantineRecord"/> JSON (<c>.error.json</c>) beside it; null when the input is gone.
    /// </remarks>
    public async Task<BlobPath?> QuarantineAsync(QuarantineRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var scope = logger.BeginScope(LogScope.Exposure(request.InstanceId, request.Input));
        string reason = SecretRedaction.Redact(request.Error.Message) ?? "";
        string container = options.Value.QuarantineContainer;
        var copy = new BlobPath(container, request.Input.Container + "/" + request.Input.Name);
        try
        {
            await services.Store.CopyAsync(request.Input, copy, overwrite: true, cancellationToken).ConfigureAwait(false);
        }
        catch (BlobNotFoundException)
        {
            ActivityLog.QuarantineSourceGone(logger, request.Input.ToString(), reason);
            return null; // nothing left to quarantine
        }
        var record = new QuarantineRecord(request.Input, copy, request.Error.Class, request.Error.Code, reason,
            request.RunId, DateTimeOffset.UtcNow);
        using var json = new MemoryStream(WorkflowJson.SerializeToUtf8(record), writable: false);
        await services.Store.WriteAsync(QuarantineRecord.PathOf(copy), json, overwrite: true, cancellationToken).ConfigureAwait(false);
        ActivityLog.Quarantined(logger, request.Input.ToString(), copy.ToString(), reason);
        return copy;
    }

    /// <inheritdoc/>
    public async Task<NightPage> ListNightPageAsync(NightPageRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var scope = logger.BeginScope(LogScope.Night(request.Night.InstanceId, request.Night.Container, request.Night.Prefix));
        NightPage page = await night.ListPageAsync(request, cancellationToken).ConfigureAwait(false);
        ActivityLog.NightListed(logger, request.Page, page.Listed, page.Exposures, page.Batches);
        return page;
    }

    /// <inheritdoc/>
    public async Task<NightChunk> ReadNightChunkAsync(NightChunkRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var scope = logger.BeginScope(LogScope.Night(request.Night.InstanceId, request.Night.Container, request.Night.Prefix));
        return await night.ReadChunkAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task<int> RecordBatchPartAsync(BatchPart part, CancellationToken cancellationToken = default) =>
        RecordBatchPartAsync(part, purger, cancellationToken);

    /// <summary>
    /// Writes a part of a batch's report (errors redacted) and then, when the night asks for it, purges the recorded
    /// exposures' instances with <paramref name="instancePurger"/> (the Functions entry point passes one over its bound
    /// Durable client). A purge that fails is logged and left: the report, not the hub, is the night's record.
    /// </summary>
    public async Task<int> RecordBatchPartAsync(BatchPart part, IInstancePurger? instancePurger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(part);
        using var scope = logger.BeginScope(LogScope.Night(part.Night.InstanceId, part.Night.Container, part.Night.Prefix));
        BatchPart redacted = part with { Entries = [.. part.Entries.Select(e => e with { Error = SecretRedaction.Redact(e.Error) })] };
        await night.WritePartAsync(redacted, cancellationToken).ConfigureAwait(false);
        int purged = 0;
        string[] ids = [.. part.Entries.Select(e => e.InstanceId).OfType<string>()];
        if (part.Night.PurgeExposures && instancePurger is not null && ids.Length > 0)
        {
            try
            {
                purged = await instancePurger.PurgeAsync(ids, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                ActivityLog.PurgeFailed(logger, ids.Length, SecretRedaction.Redact(e.Message) ?? "");
            }
        }
        ActivityLog.BatchPartRecorded(logger, part.Batch, part.Part, part.Entries.Length, purged);
        return purged;
    }

    /// <inheritdoc/>
    public async Task<NightSummary> FinishNightAsync(NightFinish finish, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(finish);
        using var scope = logger.BeginScope(LogScope.Night(finish.Night.InstanceId, finish.Night.Container, finish.Night.Prefix));
        NightSummary summary = await night.FinishAsync(finish, cancellationToken).ConfigureAwait(false);
        ActivityLog.NightReportWritten(logger, summary.Report.ToString(), summary.Succeeded, summary.Failed, summary.Skipped);
        return summary;
    }

    private static ErrorInfo Classify(Exception e)
    {
        ErrorInfo error = DomainErrors.Describe(e);
        return error with { Message = SecretRedaction.Redact(error.Message)! };
    }
}
