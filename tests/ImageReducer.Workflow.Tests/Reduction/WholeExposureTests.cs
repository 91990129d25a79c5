using ImageReducer.Engine.Config;
using ImageReducer.Engine.Errors;
using ImageReducer.Workflow.Configuration;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using ImageReducer.Workflow.Tests.Concurrency;
using ImageReducer.Workflow.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace ImageReducer.Workflow.Tests.Reduction;

/// <summary>
/// One exposure reduced in one step (<see cref="ExposureFlow.Whole"/>) on a local-folder store: the same bytes as the
/// in-process engine run and as the tiled flow (exact: same folds, same order), idempotent under redelivery, first writer
/// wins against concurrent runs of either flow, and the auto flow leaves an exposure over the budget to the tiled flow.
/// </summary>
public sealed class WholeExposureTests(ITestOutputHelper log) : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("imred-whole-").FullName;
    private LocalFolderBlobStore? store;

    private LocalFolderBlobStore Store => store ??= new LocalFolderBlobStore(root);

    public void Dispose() => Directory.Delete(root, recursive: true);

    private async Task<(BlobPath Input, byte[] Fits)> UploadAsync(string name, int seed, int width = 40, int height = 30)
    {
        byte[] fits = ReductionInputs.Fits(width, height, seed);
        var input = new BlobPath("incoming", name);
        await ReductionInputs.UploadAsync(Store, input, fits);
        return (input, fits);
    }

    [Theory]
    [InlineData("add", "average")]
    [InlineData("add", "copy")]
    [InlineData("add", "sum")]
    [InlineData("mean", "none")]
    [InlineData("stats", "none")]
    [InlineData("psf", "coaddPsf")]
    [InlineData("background", "average")]
    public async Task Whole_AnyOperation_OutputIsByteIdenticalToInProcessRunAndToTheTiledFlow(string mapper, string operation)
    {
        var (input, fits) = await UploadAsync("a.fits", seed: 5);
        string config = ReductionInputs.Config(mapper, operation);
        var whole = new BlobPath("outputs", "whole.out");
        var tiled = new BlobPath("outputs", "tiled.out");
        var reduction = new TiledReduction(ReductionServices.Create(Store));

        ReductionSummary w = await reduction.RunAsync(new ReductionRequest(input, whole, ConfigJson.Deserialize(config), 7) { Flow = ExposureFlow.Whole });
        ReductionSummary t = await reduction.RunAsync(new ReductionRequest(input, tiled, ConfigJson.Deserialize(config), 7) { Flow = ExposureFlow.Tiled });

        Assert.True(w.Status == ReductionStatus.Succeeded, w.Error);
        Assert.True(t.Status == ReductionStatus.Succeeded, t.Error);
        byte[] expected = ReductionInputs.InProcess(fits, config);
        Assert.Equal(expected, await ReductionInputs.DownloadAsync(Store, whole));
        Assert.Equal(expected, await ReductionInputs.DownloadAsync(Store, tiled));
        Assert.Equal(1, w.Tiles);
        Assert.Equal(t.OutputSha256, w.OutputSha256); // hashed in memory, no read-back, same value
        var wm = WorkflowJson.Deserialize<ReductionMetadata>(await ReductionInputs.DownloadAsync(Store, ReductionNames.Metadata(whole)));
        var tm = WorkflowJson.Deserialize<ReductionMetadata>(await ReductionInputs.DownloadAsync(Store, ReductionNames.Metadata(tiled)));
        Assert.Equal((ExposureFlow.Whole, ExposureFlow.Tiled), (wm.Flow, tm.Flow));
        Assert.Equal(tm.ResultKey, wm.ResultKey); // a night's resume check accepts either flow's output
        Assert.Equal(tm.Checksums, wm.Checksums);
        Assert.Equal(0, wm.OutputHashBytesRead);
        Assert.Equal((await Store.GetPropertiesAsync(whole)).ETag, wm.OutputETag);
        await foreach (BlobInfo left in Store.ListAsync("outputs", ReductionNames.WorkFolder)) Assert.Fail($"work blob: {left.Path}");
    }

    [Fact]
    public async Task Whole_MapperFailingInTheInPlaceRun_DownloadsTheInputAgainAndReportsTheLowestFailingCell()
    {
        // The whole-exposure activity builds the output in the input's planes; PSF matching to a sigma narrower than the
        // PSF's (1.1 px) fails in every cell, so the fused run stops after folding in place, the input is downloaded again
        // and the classic fold reports cell 0, as the tiled flow does; nothing is published.
        var (input, _) = await UploadAsync("narrow.fits", seed: 8);
        string config = ReductionInputs.Config("convolve", "average").Replace("\"name\": \"convolve\"", "\"name\": \"convolve\", \"targetSigma\": 0.5",
            StringComparison.Ordinal);
        var whole = new BlobPath("outputs", "narrow-whole.out");
        var tiled = new BlobPath("outputs", "narrow-tiled.out");
        var reduction = new TiledReduction(ReductionServices.Create(Store));

        ReductionSummary w = await reduction.RunAsync(new ReductionRequest(input, whole, ConfigJson.Deserialize(config), 7) { Flow = ExposureFlow.Whole });
        ReductionSummary t = await reduction.RunAsync(new ReductionRequest(input, tiled, ConfigJson.Deserialize(config), 7) { Flow = ExposureFlow.Tiled });

        Assert.Equal(ReductionStatus.Failed, w.Status);
        Assert.Contains("Cell 0 ", w.Error);
        Assert.Contains("is not wider than the PSF's", w.Error);
        Assert.Equal(ReductionStatus.Failed, t.Status);
        Assert.Contains("Cell 0 ", t.Error);
        Assert.False(await Store.ExistsAsync(whole));
        Assert.False(await Store.ExistsAsync(ReductionNames.Metadata(whole)));
        await foreach (BlobInfo left in Store.ListAsync("outputs", ReductionNames.WorkFolder)) Assert.Fail($"work blob: {left.Path}");
    }

    [Fact]
    public async Task Whole_OutputLargerThanABlock_IsStagedInBlocksCommittedOnceAndRecognisedAfterACrashBeforeTheMetadata()
    {
        // 700 × 600 pixels: a 5 MB file, over the 4 MiB the step writes in one request, so it is staged in blocks and committed.
        var (input, fits) = await UploadAsync("large.fits", seed: 12, width: 700, height: 600);
        string config = ReductionInputs.Config("add", "copy");
        var output = new BlobPath("outputs", "large.fits");
        var task = new WholeExposureTask(new ReductionRequest(input, output, ConfigJson.Deserialize(config), 256) { InstanceId = "large", Flow = ExposureFlow.Whole });
        await Assert.ThrowsAsync<IOException>(() => new WholeExposureStep(ReductionServices.Create(new CrashingStore(Store, ".metadata.json"))).RunAsync(task, long.MaxValue));
        string etag = (await Store.GetPropertiesAsync(output)).ETag;

        WholeExposureResult again = await new WholeExposureStep(ReductionServices.Create(Store)).RunAsync(task, long.MaxValue);

        byte[] expected = ReductionInputs.InProcess(fits, config);
        Assert.True(expected.Length > OutputBlocks.PartBytes);
        Assert.Equal(ReductionStatus.Succeeded, again.Summary?.Status);
        Assert.Equal(expected, await ReductionInputs.DownloadAsync(Store, output));
        Assert.Equal(etag, (await Store.GetPropertiesAsync(output)).ETag);
        // No block is left staged (the committed content's manifest stays, as the store keeps it for a repeated commit).
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(root, ".staging"), "*.block", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Whole_OutputLargerThanABlock_ALaterRunsCommitWinsAndTheLoserLeavesNoBlocks()
    {
        var (input, _) = await UploadAsync("large-a.fits", seed: 13, width: 700, height: 600);
        var (other, otherFits) = await UploadAsync("large-b.fits", seed: 14, width: 700, height: 600);
        var output = new BlobPath("outputs", "large-race.fits");
        string config = ReductionInputs.Config("add", "copy");
        var gated = new GatedCommitStore(Store, output);
        Task<WholeExposureResult> late = Task.Run(() => new ReductionActivities(ReductionServices.Create(gated), Options.Create(new ImageReducerOptions()),
            NullLogger<ReductionActivities>.Instance).ReduceWholeAsync(new WholeExposureTask(new ReductionRequest(input, output, ConfigJson.Deserialize(config), 256)
                { InstanceId = "late", Flow = ExposureFlow.Whole })));
        await gated.Reached.Task.WaitAsync(TimeSpan.FromMinutes(1));
        ReductionSummary first = await new TiledReduction(ReductionServices.Create(Store)).RunAsync(
            new ReductionRequest(other, output, ConfigJson.Deserialize(config), 256) { Flow = ExposureFlow.Whole });
        gated.Release.SetResult();

        ReductionSummary lost = (await late).Summary!;

        Assert.Equal(ReductionStatus.Succeeded, first.Status);
        Assert.Equal((ErrorClass.Conflict, ErrorCodes.OutputChanged), (lost.ErrorDetail?.Class, lost.ErrorDetail?.Code));
        byte[] expected = ReductionInputs.InProcess(otherFits, config);
        Assert.Equal(expected, await ReductionInputs.DownloadAsync(Store, output));
        // The loser's staged blocks were discarded; none is left staged.
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(root, ".staging"), "*.block", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Whole_WithPsfSpecAndTemplate_OutputIsByteIdenticalToTheTiledFlow()
    {
        var (input, _) = await UploadAsync("science.fits", seed: 31);
        var (template, _) = await UploadAsync("template.fits", seed: 32);
        var reduction = new TiledReduction(ReductionServices.Create(Store));
        ReductionRequest Request(string output, ExposureFlow flow) =>
            new(input, new BlobPath("outputs", output), ConfigJson.Deserialize(ReductionInputs.Config("subtract", "average")), 9)
            {
                Flow = flow, Psf = "gaussian:sigma=1.7", Auxiliary = new Dictionary<string, BlobPath> { ["template"] = template },
            };

        ReductionSummary w = await reduction.RunAsync(Request("w.fits", ExposureFlow.Whole));
        ReductionSummary t = await reduction.RunAsync(Request("t.fits", ExposureFlow.Tiled));

        Assert.True(w.Status == ReductionStatus.Succeeded, w.Error);
        Assert.True(t.Status == ReductionStatus.Succeeded, t.Error);
        Assert.Equal(await ReductionInputs.DownloadAsync(Store, t.Output!), await ReductionInputs.DownloadAsync(Store, w.Output!));
    }

    [Fact]
    public async Task Whole_DeliveredAgainAfterItPublished_ReturnsTheSameSummaryAndLeavesTheOutputAlone()
    {
        var (input, fits) = await UploadAsync("again.fits", seed: 24);
        var step = new WholeExposureStep(ReductionServices.Create(Store));
        var task = new WholeExposureTask(new ReductionRequest(input, new BlobPath("outputs", "again.fits"),
            ConfigJson.Deserialize(ReductionInputs.Config("add", "average")), 6) { InstanceId = "exposure-1", Flow = ExposureFlow.Whole });
        WholeExposureResult first = await step.RunAsync(task, long.MaxValue);
        string etag = (await Store.GetPropertiesAsync(task.Request.Output)).ETag;

        WholeExposureResult again = await step.RunAsync(task, long.MaxValue);

        Assert.Equal(first.Summary! with { ActivitySeconds = 0 }, again.Summary! with { ActivitySeconds = 0 });
        Assert.Equal(etag, (await Store.GetPropertiesAsync(task.Request.Output)).ETag);
        Assert.Equal(ReductionInputs.InProcess(fits, ReductionInputs.Config("add", "average")), await ReductionInputs.DownloadAsync(Store, task.Request.Output));
    }

    [Theory]
    [InlineData("add", "average")]
    [InlineData("mean", "none")]
    public async Task Whole_CrashAfterTheWriteBeforeTheMetadata_RerunRecognisesItsBytesAndDoesNotPublishThemAgain(string mapper, string operation)
    {
        var (input, fits) = await UploadAsync("crash.fits", seed: 21);
        string config = ReductionInputs.Config(mapper, operation);
        var output = new BlobPath("outputs", "crash.out");
        var task = new WholeExposureTask(new ReductionRequest(input, output, ConfigJson.Deserialize(config), 6) { InstanceId = "exposure-2", Flow = ExposureFlow.Whole });
        await Assert.ThrowsAsync<IOException>(() => new WholeExposureStep(ReductionServices.Create(new CrashingStore(Store, ".metadata.json"))).RunAsync(task, long.MaxValue));
        string etag = (await Store.GetPropertiesAsync(output)).ETag;

        WholeExposureResult again = await new WholeExposureStep(ReductionServices.Create(Store)).RunAsync(task, long.MaxValue);

        Assert.Equal(ReductionStatus.Succeeded, again.Summary?.Status);
        Assert.Equal(etag, (await Store.GetPropertiesAsync(output)).ETag); // one version: readers never saw it change
        Assert.Equal(ReductionInputs.InProcess(fits, config), await ReductionInputs.DownloadAsync(Store, output));
        var metadata = WorkflowJson.Deserialize<ReductionMetadata>(await ReductionInputs.DownloadAsync(Store, ReductionNames.Metadata(output)));
        Assert.Equal((again.Summary!.RunId, etag), (metadata.RunId, metadata.OutputETag));
    }

    [Fact]
    public async Task Whole_AnotherRunWroteTheOutputMeanwhile_FailsWithOutputChangedAndLeavesItsBytes()
    {
        var (input, _) = await UploadAsync("late.fits", seed: 3);
        var (other, otherFits) = await UploadAsync("other.fits", seed: 4);
        var output = new BlobPath("outputs", "late.fits");
        string config = ReductionInputs.Config("add", "average");
        // The other run publishes between this run's look at the output and its write: the gate holds the write.
        var gated = new GatedWriteStore(Store, output);
        Task<WholeExposureResult> late = Task.Run(() => new ReductionActivities(ReductionServices.Create(gated), Options.Create(new ImageReducerOptions()),
            NullLogger<ReductionActivities>.Instance).ReduceWholeAsync(new WholeExposureTask(new ReductionRequest(input, output, ConfigJson.Deserialize(config), 6)
                { InstanceId = "late", Flow = ExposureFlow.Whole })));
        await gated.Reached.Task.WaitAsync(TimeSpan.FromMinutes(1));
        ReductionSummary first = await new TiledReduction(ReductionServices.Create(Store)).RunAsync(
            new ReductionRequest(other, output, ConfigJson.Deserialize(config), 6) { Flow = ExposureFlow.Whole });
        gated.Release.SetResult();

        ReductionSummary lost = (await late).Summary!;

        Assert.Equal(ReductionStatus.Succeeded, first.Status);
        Assert.Equal((ErrorClass.Conflict, ErrorCodes.OutputChanged), (lost.ErrorDetail?.Class, lost.ErrorDetail?.Code));
        Assert.Equal(ReductionInputs.InProcess(otherFits, config), await ReductionInputs.DownloadAsync(Store, output));
        var metadata = WorkflowJson.Deserialize<ReductionMetadata>(await ReductionInputs.DownloadAsync(Store, ReductionNames.Metadata(output)));
        Assert.Equal(other, metadata.Input);
    }

    [Fact]
    public async Task WholeAndTiledRunsToOneOutput_ManyRounds_OutputIsOneRunsBytesWithItsMetadata()
    {
        var writers = new ConcurrentWriters(Store, log);

        int[] successes = await writers.RunRoundsAsync("mixed", rounds: 6, writers: 4, tileSize: 8,
            flowOf: w => w % 2 == 0 ? ExposureFlow.Whole : ExposureFlow.Tiled);

        Assert.All(successes, n => Assert.InRange(n, 1, 4));
    }

    [Fact]
    public async Task Auto_ExposureOverTheMemoryBudget_DeclinesAndTheFlowRunsItTiled()
    {
        var (input, fits) = await UploadAsync("big.fits", seed: 8);
        long pixels = 40 * 30;
        var request = new ReductionRequest(input, new BlobPath("outputs", "big.fits"), ConfigJson.Deserialize(ReductionInputs.Config("add", "average")), 7)
            { Flow = ExposureFlow.Auto };

        WholeExposureResult declined = await new WholeExposureStep(ReductionServices.Create(Store)).RunAsync(new WholeExposureTask(request),
            ExposureFlowPolicy.EstimatedBytes(pixels) - 1);
        ReductionSummary within = await new TiledReduction(ReductionServices.Create(Store)).RunAsync(request);
        ReductionSummary over = await new TiledReduction(ReductionServices.Create(Store), wholeExposureMemoryBytes: 1000)
            .RunAsync(request with { Output = new BlobPath("outputs", "big2.fits") });

        Assert.False(declined.Ran);
        Assert.Equal((pixels, ExposureFlowPolicy.EstimatedBytes(pixels)), (declined.Pixels, declined.EstimatedBytes));
        Assert.Equal(ReductionStatus.Succeeded, within.Status);
        Assert.Equal(1, within.Tiles); // within the default budget: whole
        Assert.Equal(ReductionStatus.Succeeded, over.Status);
        Assert.Equal(5, over.Tiles); // over a 1000-byte budget: tiled, 30 rows in tiles of 7
        byte[] expected = ReductionInputs.InProcess(fits, ReductionInputs.Config("add", "average"));
        Assert.Equal(expected, await ReductionInputs.DownloadAsync(Store, request.Output));
        Assert.Equal(expected, await ReductionInputs.DownloadAsync(Store, over.Output!));
    }

    [Theory]
    [InlineData(ExposureFlow.Whole, 1L << 40, 0, true)]
    [InlineData(ExposureFlow.Whole, 1, 0, true)]
    [InlineData(ExposureFlow.Tiled, 1, 1L << 40, false)]
    [InlineData(ExposureFlow.Auto, 4096L * 4096, 1L << 30, true)]
    [InlineData(ExposureFlow.Auto, 8192L * 8192, 1L << 30, false)]
    public void Policy_DecidesFromTheFlowThePixelsAndTheBudget(ExposureFlow flow, long pixels, long budget, bool whole) =>
        Assert.Equal(whole, ExposureFlowPolicy.RunsWhole(flow, pixels, budget));

    [Fact]
    public async Task Whole_CorruptInput_FailsAsBadInputAndIsQuarantinedByTheActivityOnlyWhenAsked()
    {
        byte[] fits = ReductionInputs.Fits(seed: 9);
        fits[^100] ^= 0x55; // a pixel byte: the IMAGE/VARIANCE DATASUM no longer matches
        var input = new BlobPath("incoming", "corrupt.fits");
        await ReductionInputs.UploadAsync(Store, input, fits);
        var activities = new ReductionActivities(ReductionServices.Create(Store), Options.Create(new ImageReducerOptions()), NullLogger<ReductionActivities>.Instance);
        var request = new ReductionRequest(input, new BlobPath("outputs", "corrupt.fits"), ConfigJson.Deserialize(ReductionInputs.Config("add", "average")), 6)
            { Flow = ExposureFlow.Whole };

        WholeExposureResult local = await activities.ReduceWholeAsync(new WholeExposureTask(request));
        WholeExposureResult durable = await activities.ReduceWholeAsync(new WholeExposureTask(request) { Quarantine = true });

        Assert.Equal(ErrorClass.BadInput, local.Summary?.ErrorDetail?.Class);
        Assert.Null(local.Quarantined);
        Assert.Equal(new BlobPath("quarantine", "incoming/corrupt.fits"), durable.Quarantined);
        Assert.True(await Store.ExistsAsync(durable.Quarantined!));
        Assert.False(await Store.ExistsAsync(request.Output));
    }

    [Fact]
    public async Task Whole_ExposureOverThePixelLimit_FailsWithTheLimitBeforeReadingThePixels()
    {
        var (input, _) = await UploadAsync("limit.fits", seed: 2);
        var services = ReductionServices.Create(Store) with { Limits = new WorkflowLimits { MaxPixels = 100 } };

        ReductionSummary summary = await new TiledReduction(services).RunAsync(
            new ReductionRequest(input, new BlobPath("outputs", "limit.fits"), ConfigJson.Deserialize(ReductionInputs.Config("add", "average")), 8) { Flow = ExposureFlow.Whole });

        Assert.Equal(ReductionStatus.Failed, summary.Status);
        Assert.Contains("MaxPixels", summary.Error);
    }

    /// <summary>Holds the first block-list commit of <c>output</c> until released, so a test can publish another run first.</summary>
    private sealed class GatedCommitStore(IBlobStore inner, BlobPath output) : DelegatingBlobStore(inner)
    {
        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task<string> CommitBlocksAsync(BlobPath path, IReadOnlyList<string> blockIds, BlobCondition condition, CancellationToken cancellationToken = default)
        {
            if (path == output && Reached.TrySetResult()) await Release.Task.WaitAsync(cancellationToken);
            return await base.CommitBlocksAsync(path, blockIds, condition, cancellationToken);
        }
    }

    /// <summary>Holds the first conditional write of <c>output</c> until released, so a test can publish another run first.</summary>
    private sealed class GatedWriteStore(IBlobStore inner, BlobPath output) : DelegatingBlobStore(inner)
    {
        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task<string> WriteAsync(BlobPath path, Stream content, BlobCondition condition, CancellationToken cancellationToken = default)
        {
            if (path == output && Reached.TrySetResult()) await Release.Task.WaitAsync(cancellationToken);
            return await base.WriteAsync(path, content, condition, cancellationToken);
        }
    }
}
