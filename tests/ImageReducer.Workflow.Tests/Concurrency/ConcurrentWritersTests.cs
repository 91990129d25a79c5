using ImageReducer.Workflow.Storage;
using ImageReducer.Workflow.Tests.Azurite;
using Xunit.Abstractions;

namespace ImageReducer.Workflow.Tests.Concurrency;

/// <summary>Concurrent runs to one output on a local folder store: never mixed, one run's metadata, no staging left.</summary>
public sealed class LocalConcurrentWritersTests(ITestOutputHelper log) : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("imred-concurrent-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task ThreeRunsToOneOutput_ManyRounds_OutputIsOneRunsBytesWithItsMetadataAndNoStagingIsLeft()
    {
        var store = new LocalFolderBlobStore(root);

        int[] successes = await new ConcurrentWriters(store, log).RunRoundsAsync("local", rounds: 16, writers: 3, tileSize: 4);

        Assert.All(successes, n => Assert.InRange(n, 1, 3));
        // Every run's uncommitted blocks went: the winners' with their commits, the losers' with their cleanup.
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(root, ".staging"), "*.block", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task FiveRunsToOneOutput_TwoStoresOnOneFolder_NeverMixed()
    {
        // Two stores on one folder stand for two processes (imred run --connection FOLDER): their locks see each other.
        var first = new LocalFolderBlobStore(root);
        var shared = new SplitStore(first, new LocalFolderBlobStore(root));

        int[] successes = await new ConcurrentWriters(shared, log).RunRoundsAsync("split", rounds: 6, writers: 5, tileSize: 3);

        Assert.All(successes, n => Assert.InRange(n, 1, 5));
    }

    /// <summary>Sends each write to one of two stores in turn, so every blob sees writers from both.</summary>
    private sealed class SplitStore(IBlobStore a, IBlobStore b) : Storage.DelegatingBlobStore(a)
    {
        private int turn;

        private IBlobStore Next => (Interlocked.Increment(ref turn) & 1) == 0 ? a : b;

        public override Task StageBlockAsync(BlobPath path, string blockId, Stream content, CancellationToken cancellationToken = default) =>
            Next.StageBlockAsync(path, blockId, content, cancellationToken);

        public override Task<string> CommitBlocksAsync(BlobPath path, IReadOnlyList<string> blockIds, BlobCondition condition, CancellationToken cancellationToken = default) =>
            Next.CommitBlocksAsync(path, blockIds, condition, cancellationToken);

        public override Task<string> WriteAsync(BlobPath path, Stream content, BlobCondition condition, CancellationToken cancellationToken = default) =>
            Next.WriteAsync(path, content, condition, cancellationToken);
    }
}

/// <summary>Concurrent runs to one output on Azurite (Azure's own conditional commits and block discards).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureConcurrentWritersTests(AzuriteFixture azurite, ITestOutputHelper log)
{
    [Fact]
    public async Task ThreeRunsToOneOutput_ManyRounds_OutputIsOneRunsBytesWithItsMetadataAndNoWorkBlobsAreLeft()
    {
        var store = new AzureBlobStore(azurite.ConnectionString);

        int[] successes = await new ConcurrentWriters(store, log).RunRoundsAsync("c" + Guid.NewGuid().ToString("N")[..12], rounds: 10, writers: 3, tileSize: 4);

        Assert.All(successes, n => Assert.InRange(n, 1, 3));
    }
}

/// <summary>Failed runs clean up after themselves, and only after themselves.</summary>
public sealed class FailedRunCleanupTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("imred-cleanup-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task StorageFaultAtCommit_InProcessRun_LeavesNoWorkBlobsNorStagedBlocks()
    {
        var store = new LocalFolderBlobStore(root);
        var input = new BlobPath("incoming", "fault.fits");
        var output = new BlobPath("outputs", "fault.fits");
        await Reduction.ReductionInputs.UploadAsync(store, input, Reduction.ReductionInputs.Fits(seed: 31));

        await Assert.ThrowsAsync<BlobStoreException>(() => new Workflow.Reduction.TiledReduction(Workflow.Reduction.ReductionServices.Create(new FailingCommitStore(store)))
            .RunAsync(new Workflow.Reduction.ReductionRequest(input, output, Engine.Config.ConfigJson.Deserialize(Reduction.ReductionInputs.Config("add", "average")), 5)));

        // No retry comes for an in-process run, so nothing of it may stay for a later run (or the lifecycle rule).
        await foreach (BlobInfo left in store.ListAsync("outputs")) Assert.Fail($"left {left.Path}");
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(root, ".staging"), "*.block", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task FailedRunBesideAGoodOne_TheGoodRunStillPublishesWhole()
    {
        // A run whose tile failed discards its own blocks and work only: a concurrent run to the same output is untouched.
        var store = new LocalFolderBlobStore(root);
        var output = new BlobPath("outputs", "shared.fits");
        string config = Reduction.ReductionInputs.Config("add", "average");
        byte[] good = Reduction.ReductionInputs.Fits(seed: 41), bad = Reduction.ReductionInputs.Fits(seed: 42);
        var goodInput = new BlobPath("incoming", "good.fits");
        var badInput = new BlobPath("incoming", "bad.fits");
        await Reduction.ReductionInputs.UploadAsync(store, goodInput, good);
        await Reduction.ReductionInputs.UploadAsync(store, badInput, bad);
        var services = Workflow.Reduction.ReductionServices.Create(store);
        var (_, goodPlan) = await new Workflow.Reduction.PlanStep(services).RunAsync(new Workflow.Reduction.ReductionRequest(goodInput, output, Engine.Config.ConfigJson.Deserialize(config), 6) { InstanceId = "good" });
        var (_, badPlan) = await new Workflow.Reduction.PlanStep(services).RunAsync(new Workflow.Reduction.ReductionRequest(badInput, output, Engine.Config.ConfigJson.Deserialize(config), 6) { InstanceId = "bad" });
        for (int t = 0; t < goodPlan.TileCount; t++) await new Workflow.Reduction.MapTileStep(services).RunAsync(new Workflow.Reduction.TileTask(goodPlan.Plan!, t));
        for (int t = 1; t < badPlan.TileCount; t++) await new Workflow.Reduction.MapTileStep(services).RunAsync(new Workflow.Reduction.TileTask(badPlan.Plan!, t));
        await Workflow.Reduction.TileRecords.WriteAsync(store, badPlan.Plan!, Workflow.Reduction.TileResult.Failed(0,
            new Engine.Errors.ErrorInfo(Engine.Errors.ErrorClass.BadInput, "Truncated", "simulated")));

        var failed = await new Workflow.Reduction.ReduceStep(services).RunAsync(new Workflow.Reduction.ReduceTask(badPlan.Plan!, badPlan.TileCount));
        var published = await new Workflow.Reduction.ReduceStep(services).RunAsync(new Workflow.Reduction.ReduceTask(goodPlan.Plan!, goodPlan.TileCount));

        Assert.Equal(Workflow.Reduction.ReductionStatus.Failed, failed.Status);
        Assert.Equal(Workflow.Reduction.ReductionStatus.Succeeded, published.Status);
        Assert.Equal(Reduction.ReductionInputs.InProcess(good, config), await Reduction.ReductionInputs.DownloadAsync(store, output));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(root, ".staging"), "*.block", SearchOption.AllDirectories));
    }

    /// <summary>A store whose block commits fail as an unreachable service would.</summary>
    private sealed class FailingCommitStore(IBlobStore inner) : Storage.DelegatingBlobStore(inner)
    {
        public override Task<string> CommitBlocksAsync(BlobPath path, IReadOnlyList<string> blockIds, BlobCondition condition, CancellationToken cancellationToken = default) =>
            throw new BlobStoreException(path, "simulated outage");
    }
}
