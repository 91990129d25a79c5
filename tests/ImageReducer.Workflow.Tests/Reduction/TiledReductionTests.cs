using ImageReducer.Engine.Config;
using ImageReducer.Engine.Errors;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Tests.Reduction;

/// <summary>
/// The steps run in-process (the CLI's run --tile-size mode) on a local-folder store: outputs byte-identical
/// to the in-process engine run (exact: same folds, same order), idempotent, no intermediates left.
/// </summary>
public sealed class TiledReductionTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("imred-tiled-").FullName;
    private readonly LocalFolderBlobStore store;

    public TiledReductionTests() => store = new LocalFolderBlobStore(root);

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Theory]
    [InlineData("add", "average", 1)]
    [InlineData("add", "average", 4)]
    [InlineData("add", "copy", 11)]
    [InlineData("add", "sum", 1000)]
    [InlineData("mean", "none", 3)]
    [InlineData("psf", "coaddPsf", 8)]
    public async Task RunAsync_LocalStore_OutputIsByteIdenticalToInProcessRun(string mapper, string operation, int tileSize)
    {
        byte[] fits = ReductionInputs.Fits(seed: tileSize);
        string config = ReductionInputs.Config(mapper, operation);
        var input = new BlobPath("incoming", "a.fits");
        var output = new BlobPath("outputs", "a.out");
        await ReductionInputs.UploadAsync(store, input, fits);

        ReductionSummary summary = await new TiledReduction(ReductionServices.Create(store)).RunAsync(new ReductionRequest(input, output, ConfigJson.Deserialize(config), tileSize));

        Assert.True(summary.Status == ReductionStatus.Succeeded, summary.Error);
        Assert.Equal(ReductionInputs.InProcess(fits, config), await ReductionInputs.DownloadAsync(store, output));
        Assert.True(await store.ExistsAsync(ReductionNames.Metadata(output)));
        await foreach (BlobInfo left in store.ListAsync("outputs", ReductionNames.WorkPrefix(output))) Assert.Fail($"intermediate left: {left.Path}");
    }

    [Fact]
    public async Task Reduce_CrashAfterCommitBeforeMetadata_RerunRecognisesTheOutputAndFinishes()
    {
        byte[] fits = ReductionInputs.Fits(seed: 21);
        string config = ReductionInputs.Config("add", "average");
        var input = new BlobPath("incoming", "crash.fits");
        var output = new BlobPath("outputs", "crash.fits");
        await ReductionInputs.UploadAsync(store, input, fits);
        var crashing = ReductionServices.Create(new CrashingStore(store, ".metadata.json"));
        var (_, plan) = await new PlanStep(crashing).RunAsync(new ReductionRequest(input, output, ConfigJson.Deserialize(config), 6));
        var tiles = new List<TileResult>();
        for (int t = 0; t < plan.TileCount; t++) tiles.Add(await new MapTileStep(crashing).RunAsync(new TileTask(plan.Plan!, t)));
        var reduce = new ReduceStep(crashing);

        await Assert.ThrowsAsync<IOException>(() => reduce.RunAsync(new ReduceTask(plan.Plan!, plan.TileCount)));
        ReductionSummary again = await reduce.RunAsync(new ReduceTask(plan.Plan!, plan.TileCount));

        Assert.Equal(ReductionStatus.Succeeded, again.Status);
        Assert.Equal(ReductionInputs.InProcess(fits, config), await ReductionInputs.DownloadAsync(store, output));
    }

    [Fact]
    public async Task Reduce_DeliveredAgainAfterItPublishedAndCleanedUp_ReturnsTheSameSummaryAndLeavesTheOutputAlone()
    {
        // A worker died after Reduce published the output and removed the run's intermediates (the plan among them), before
        // the activity's completion was recorded: the provider delivers the same ReduceTask again.
        byte[] fits = ReductionInputs.Fits(seed: 24);
        string config = ReductionInputs.Config("add", "average");
        var input = new BlobPath("incoming", "again.fits");
        var output = new BlobPath("outputs", "again.fits");
        await ReductionInputs.UploadAsync(store, input, fits);
        var services = ReductionServices.Create(store);
        var (_, plan) = await new PlanStep(services).RunAsync(new ReductionRequest(input, output, ConfigJson.Deserialize(config), 6));
        for (int t = 0; t < plan.TileCount; t++) await new MapTileStep(services).RunAsync(new TileTask(plan.Plan!, t));
        var task = new ReduceTask(plan.Plan!, plan.TileCount);
        ReductionSummary first = await new ReduceStep(services).RunAsync(task);
        Assert.False(await store.ExistsAsync(plan.Plan!)); // cleaned up
        string etag = (await store.GetPropertiesAsync(output)).ETag;

        ReductionSummary again = await new ReduceStep(services).RunAsync(task);

        Assert.Equal(first, again);
        Assert.Equal(ReductionStatus.Succeeded, again.Status);
        Assert.Equal(etag, (await store.GetPropertiesAsync(output)).ETag);
        Assert.Equal(ReductionInputs.InProcess(fits, config), await ReductionInputs.DownloadAsync(store, output));
    }

    [Fact]
    public async Task Reduce_PlanGoneAndNoOutputOfThisRun_StillFailsWithBlobNotFound()
    {
        var services = ReductionServices.Create(store);
        BlobPath plan = ReductionNames.Plan(new BlobPath("outputs", "never.fits"), "0123456789abcdef");

        await Assert.ThrowsAsync<BlobNotFoundException>(() => new ReduceStep(services).RunAsync(new ReduceTask(plan, 3)));
    }

    [Fact]
    public void RunOfPlan_IsTheInverseOfPlan()
    {
        var output = new BlobPath("outputs", "night/v1/e.fits");

        Assert.Equal((output, "abc123"), ReductionNames.RunOfPlan(ReductionNames.Plan(output, "abc123")));
        Assert.Null(ReductionNames.RunOfPlan(new BlobPath("outputs", "night/v1/e.fits")));
        Assert.Null(ReductionNames.RunOfPlan(new BlobPath("outputs", ".work/plan.json")));
    }

    [Fact]
    public async Task Reduce_OneTileFailed_NothingPublishedAndTheOtherTilesStagedBlocksAreDropped()
    {
        byte[] fits = ReductionInputs.Fits(seed: 23);
        var input = new BlobPath("incoming", "partial.fits");
        var output = new BlobPath("outputs", "partial.fits");
        await ReductionInputs.UploadAsync(store, input, fits);
        var services = ReductionServices.Create(store);
        var (_, plan) = await new PlanStep(services).RunAsync(new ReductionRequest(input, output, ConfigJson.Deserialize(ReductionInputs.Config("add", "average")), 6));
        var tiles = new List<TileResult>();
        for (int t = 1; t < plan.TileCount; t++) tiles.Add(await new MapTileStep(services).RunAsync(new TileTask(plan.Plan!, t)));
        string staging = Path.Combine(root, ".staging");
        Assert.NotEmpty(Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories)); // the healthy tiles staged their bands
        await TileRecords.WriteAsync(store, plan.Plan!, TileResult.Failed(0, new ErrorInfo(ErrorClass.BadInput, "Truncated", "incoming/partial.fits: simulated")));

        ReductionSummary summary = await new ReduceStep(services).RunAsync(new ReduceTask(plan.Plan!, plan.TileCount));

        Assert.Equal(ReductionStatus.Failed, summary.Status);
        Assert.Contains("simulated", summary.Error);
        Assert.Equal(ErrorClass.BadInput, summary.ErrorDetail?.Class); // the failed tile's class is the run's
        Assert.Equal("Truncated", summary.ErrorDetail?.Code);
        Assert.False(await store.ExistsAsync(output));
        await foreach (BlobInfo left in store.ListAsync("outputs")) Assert.Fail($"left {left.Path}");
        Assert.Empty(Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task MapTile_RunTwice_StagesTheSameBlocks()
    {
        byte[] fits = ReductionInputs.Fits(seed: 22);
        var input = new BlobPath("incoming", "twice.fits");
        await ReductionInputs.UploadAsync(store, input, fits);
        var services = ReductionServices.Create(store);
        var (_, plan) = await new PlanStep(services).RunAsync(new ReductionRequest(input, new BlobPath("outputs", "twice.fits"), ConfigJson.Deserialize(ReductionInputs.Config("add", "sum")), 10));

        TileResult first = await new MapTileStep(services).RunAsync(new TileTask(plan.Plan!, 1));
        TileResult second = await new MapTileStep(services).RunAsync(new TileTask(plan.Plan!, 1));

        Assert.Equal(first.PlaneChecksums, second.PlaneChecksums);
        Assert.Equal(first.BlockCount, second.BlockCount);
        Assert.Equal(first.Overlap, second.Overlap);
    }

    [Fact]
    public async Task Plan_ExposureOverThePixelLimit_FailsBeforeAnyTile()
    {
        var input = new BlobPath("incoming", "big.fits");
        await ReductionInputs.UploadAsync(store, input, ReductionInputs.Fits());
        var services = ReductionServices.Create(store) with { Limits = new WorkflowLimits { MaxPixels = 100 } };

        ReductionSummary summary = await new TiledReduction(services).RunAsync(
            new ReductionRequest(input, new BlobPath("outputs", "big.fits"), ConfigJson.Deserialize(ReductionInputs.Config("add", "average")), 8));

        Assert.Equal(ReductionStatus.Failed, summary.Status);
        Assert.Contains("MaxPixels", summary.Error);
        Assert.False(await store.ExistsAsync(new BlobPath("outputs", "big.fits")));
    }

    [Fact]
    public async Task Plan_TooManyTiles_FailsWithTheLimitInTheMessage()
    {
        var input = new BlobPath("incoming", "tiles.fits");
        await ReductionInputs.UploadAsync(store, input, ReductionInputs.Fits());
        var services = ReductionServices.Create(store) with { Limits = new WorkflowLimits { MaxTiles = 2 } };

        ReductionSummary summary = await new TiledReduction(services).RunAsync(
            new ReductionRequest(input, new BlobPath("outputs", "tiles.fits"), ConfigJson.Deserialize(ReductionInputs.Config("add", "average")), 1));

        Assert.Equal(ReductionStatus.Failed, summary.Status);
        Assert.Contains("MaxTiles", summary.Error);
    }
}
