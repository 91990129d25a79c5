using ImageReducer.Engine.Errors;
using ImageReducer.Engine.Reducing;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Nights;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Tests.NightScale;

/// <summary>
/// The workflow's activities with the exposure steps stubbed and the night's steps real: Plan, MapTile and Reduce return
/// at once records of the size and shape the real ones return (a 64-character run id, blob paths, per-tile checksums,
/// mask planes, timings), so the real <c>ReduceExposure</c> orchestration runs Plan → its tiles → Reduce for every
/// exposure, and the real night (listing, manifests, chunks, report parts, purge, finish) runs around it.
/// </summary>
/// <remarks>
/// The stubs keep no state (an activity may run anywhere, more than once): the plan blob's name encodes the output, and
/// an exposure fails when <see cref="Fails"/> says so, with an error text far over every payload budget, so the runs
/// prove that such a text is cut before it travels.
/// </remarks>
/// <param name="night">The real night steps (and the exposure steps, which are not called).</param>
/// <param name="tiles">Tiles per exposure plan.</param>
/// <param name="fails">Which inputs fail in Reduce (null: none).</param>
/// <param name="declines">Which inputs an auto whole-exposure activity declines as over the memory budget (null: none).</param>
public sealed class StubExposureActivities(IWorkflowActivities night, int tiles, Func<BlobPath, bool>? fails = null, Func<BlobPath, bool>? declines = null)
    : IWorkflowActivities
{
    /// <summary>The output size every successful stub reduction reports.</summary>
    public const long OutputBytes = 201_600_000; // a 4096² LSST exposure: image, mask and variance planes

    /// <summary>The input size every stub plan reports reading (headers).</summary>
    public const long PlanBytesRead = 40_320;

    /// <summary>Characters of the error a failing stub exposure reports: far over the 16 KB payload budget.</summary>
    public const int FailureChars = 40_000;

    private const string PlanSuffix = ".work/stub-run/plan.json";

    private static readonly KeyValuePair<string, int>[] MaskPlanes =
        [.. new[] { "BAD", "SAT", "INTRP", "CR", "EDGE", "DETECTED", "DETECTED_NEGATIVE", "SUSPECT", "NO_DATA", "CROSSTALK", "NOT_DEBLENDED", "UNMASKEDNAN", "INVALID_MAPREDUCE" }
            .Select((name, bit) => KeyValuePair.Create(name, bit))];

    /// <summary>Whether an exposure fails.</summary>
    public Func<BlobPath, bool> Fails { get; } = fails ?? (_ => false);

    /// <inheritdoc/>
    public Task<PlanSummary> PlanAsync(ReductionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var plan = new BlobPath(request.Output.Container, request.Output.Name + PlanSuffix);
        return Task.FromResult(new PlanSummary(RunId(request.Input), plan, tiles, 10_404, PlanBytesRead) { Seconds = 0.07 });
    }

    /// <inheritdoc/>
    public Task<TileResult> MapTileAsync(TileTask task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        var overlap = new OverlapStatistics(4, 1.27, 1, 0, 0, 1_024) { PixelCount = 4_194_304 };
        return Task.FromResult(new TileResult(task.TileIndex, [0x9e3779b9u, 0x7f4a7c15u, 0x94d049bbu], overlap, MaskPlanes, 3,
            2_601, 50_400_000, 50_400_000, 1.35, 145L << 20) { ReadSeconds = 0.5, MapSeconds = 0.2, StageSeconds = 0.6 });
    }

    /// <inheritdoc/>
    public Task<ReductionSummary> ReduceAsync(ReduceTask task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        BlobPath input = task.Input ?? throw new ArgumentException("The reduce task names no input.", nameof(task));
        if (!task.Plan.Name.EndsWith(PlanSuffix, StringComparison.Ordinal)) throw new ArgumentException($"'{task.Plan}' is not a stub plan.", nameof(task));
        var output = new BlobPath(task.Plan.Container, task.Plan.Name[..^PlanSuffix.Length]);
        if (Fails(input))
        {
            var error = new ErrorInfo(ErrorClass.BadInput, "StubFailure", $"{input} failed on purpose: " + new string('x', FailureChars));
            return Task.FromResult(ReductionSummary.Failed(RunId(input), input, error, task.TileCount, 10_404));
        }
        return Task.FromResult(new ReductionSummary(RunId(input), input, ReductionStatus.Succeeded, output, ReductionNames.Metadata(output),
            OutputBytes, task.TileCount, 10_404, 86_016)
        {
            OutputSha256 = new string('a', 64), ActivitySeconds = 0.07 + task.TileCount * 1.35 + 0.82, OutputHashSeconds = 0.59,
        });
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Reduces whole at once: the summary a real whole-exposure activity returns (one tile, the in-memory SHA-256), or the
    /// same oversized failure as <see cref="ReduceAsync"/>.
    /// </remarks>
    public Task<WholeExposureResult> ReduceWholeAsync(WholeExposureTask task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        ReductionRequest request = task.Request;
        const long Pixels = 4096L * 4096;
        if (request.Flow == ExposureFlow.Auto && declines?.Invoke(request.Input) == true)
            return Task.FromResult(new WholeExposureResult(null, 4 * Pixels, ExposureFlowPolicy.EstimatedBytes(4 * Pixels)));
        if (Fails(request.Input))
        {
            var error = new ErrorInfo(ErrorClass.BadInput, "StubFailure", $"{request.Input} failed on purpose: " + new string('x', FailureChars));
            return Task.FromResult(new WholeExposureResult(ReductionSummary.Failed(null, request.Input, error), Pixels, ExposureFlowPolicy.EstimatedBytes(Pixels)));
        }
        var summary = new ReductionSummary(RunId(request.Input), request.Input, ReductionStatus.Succeeded, request.Output, ReductionNames.Metadata(request.Output),
            OutputBytes, 1, 10_404, 0)
        {
            OutputSha256 = new string('a', 64), ActivitySeconds = 3.3,
        };
        return Task.FromResult(new WholeExposureResult(summary, Pixels, ExposureFlowPolicy.EstimatedBytes(Pixels)));
    }

    /// <inheritdoc/>
    public Task<BlobPath?> QuarantineAsync(QuarantineRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult<BlobPath?>(null);

    /// <inheritdoc/>
    public Task<NightPage> ListNightPageAsync(NightPageRequest request, CancellationToken cancellationToken = default) =>
        night.ListNightPageAsync(request, cancellationToken);

    /// <inheritdoc/>
    public Task<NightChunk> ReadNightChunkAsync(NightChunkRequest request, CancellationToken cancellationToken = default) =>
        night.ReadNightChunkAsync(request, cancellationToken);

    /// <inheritdoc/>
    public Task<int> RecordBatchPartAsync(BatchPart part, CancellationToken cancellationToken = default) =>
        night.RecordBatchPartAsync(part, cancellationToken);

    /// <inheritdoc/>
    public Task<NightSummary> FinishNightAsync(NightFinish finish, CancellationToken cancellationToken = default) =>
        night.FinishNightAsync(finish, cancellationToken);

    private static string RunId(BlobPath input) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(input.ToString())));
}
