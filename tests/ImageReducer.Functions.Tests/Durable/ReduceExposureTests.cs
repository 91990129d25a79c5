using ImageReducer.Engine.Config;
using ImageReducer.Functions.Tests.Infrastructure;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using Microsoft.DurableTask.Client;
using ImageReducer.Workflow.Api;

namespace ImageReducer.Functions.Tests.Durable;

/// <summary>
/// The ReduceExposure orchestration on the real Durable engine and Azurite: its output blob must be
/// byte-identical to the in-process run (engine runner + writers) — exact, because both sides run the
/// same float32 folds in the same cell order; any difference is a bug, not rounding.
/// </summary>
[Collection(WorkflowCollection.Name)]
public class ReduceExposureTests(WorkflowHost host)
{
    // 5 rows: smaller than a cell (17 rows) plus its border; 16: typical; 100: larger than the image (48 rows).
    [Theory]
    [InlineData("add", "copy", 5)]
    [InlineData("add", "copy", 16)]
    [InlineData("add", "copy", 100)]
    [InlineData("add", "sum", 5)]
    [InlineData("add", "sum", 16)]
    [InlineData("add", "sum", 100)]
    [InlineData("add", "average", 5)]
    [InlineData("add", "average", 16)]
    [InlineData("add", "average", 100)]
    [InlineData("stats", "none", 5)]
    [InlineData("stats", "none", 16)]
    [InlineData("stats", "none", 100)]
    [InlineData("psf", "coaddPsf", 5)]
    [InlineData("psf", "coaddPsf", 16)]
    [InlineData("psf", "coaddPsf", 100)]
    public async Task ReduceExposure_AnyOperationAndTileSize_OutputIsByteIdenticalToInProcessRun(string mapper, string operation, int tileSize)
    {
        byte[] fits = TestInputs.ExposureFits(seed: tileSize);
        string config = TestInputs.ConfigJson(mapper, operation);
        var input = new BlobPath("incoming", $"identity/{operation}-{tileSize}.fits");
        var output = new BlobPath("outputs", $"identity/{operation}-{tileSize}.out");
        await TestInputs.UploadAsync(host.Store, input, fits);

        OrchestrationMetadata run = await host.RunAsync(WorkflowNames.ReduceExposure, new ReductionRequest(input, output, ConfigJson.Deserialize(config), tileSize));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        ReductionSummary summary = run.ReadOutputAs<ReductionSummary>()!;
        Assert.True(summary.Status == ReductionStatus.Succeeded, summary.Error);
        Assert.Equal((48 + tileSize - 1) / tileSize, summary.Tiles);
        byte[] expected = TestInputs.InProcess(fits, config);
        Assert.Equal(expected, await TestInputs.DownloadAsync(host.Store, output));
        Assert.Equal(expected.Length, summary.OutputBytes);
        Assert.True(await host.Store.ExistsAsync(ReductionNames.Metadata(output)));
        Assert.Empty(await TestInputs.ListAsync(host.Store, "outputs", ReductionNames.WorkPrefix(output)));
    }

    [Theory]
    [InlineData("add", "average")]
    [InlineData("add", "copy")]
    [InlineData("stats", "none")]
    [InlineData("psf", "coaddPsf")]
    public async Task ReduceExposure_WholeFlow_OneActivityWritesTheInProcessRunsBytes(string mapper, string operation)
    {
        byte[] fits = TestInputs.ExposureFits(seed: 77);
        string config = TestInputs.ConfigJson(mapper, operation);
        var input = new BlobPath("incoming", $"whole/{operation}.fits");
        var output = new BlobPath("outputs", $"whole/{operation}.out");
        await TestInputs.UploadAsync(host.Store, input, fits);

        OrchestrationMetadata run = await host.RunAsync(WorkflowNames.ReduceExposure,
            new ReductionRequest(input, output, ConfigJson.Deserialize(config), 16) { Flow = ExposureFlow.Whole });

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        ReductionSummary summary = run.ReadOutputAs<ReductionSummary>()!;
        Assert.True(summary.Status == ReductionStatus.Succeeded, summary.Error);
        Assert.Equal(1, summary.Tiles);
        Assert.Equal(TestInputs.InProcess(fits, config), await TestInputs.DownloadAsync(host.Store, output));
        Assert.Equal(1, host.Calls(WorkflowNames.ReduceExposureWhole, input)); // one work item: no plan, tiles or reduce
        Assert.Equal(0, host.Calls(WorkflowNames.Plan, input));
        var metadata = WorkflowJson.Deserialize<ReductionMetadata>(await TestInputs.DownloadAsync(host.Store, ReductionNames.Metadata(output)));
        Assert.Equal((ExposureFlow.Whole, summary.RunId), (metadata.Flow, metadata.RunId));
        Assert.Equal("succeeded", run.ReadCustomStatusAs<ReductionProgress>()!.Phase);
        Assert.Empty(await TestInputs.ListAsync(host.Store, "outputs", ReductionNames.WorkPrefix(output)));
    }

    [Fact]
    public async Task ReduceExposure_WholeFlowOutputOverABlock_StagedWithItsMd5AndCommittedAsTheInProcessRunsBytes()
    {
        byte[] fits = TestInputs.ExposureFits(width: 640, height: 640, seed: 78); // a 5 MB output: staged in blocks
        string config = TestInputs.ConfigJson("add", "copy");
        var input = new BlobPath("incoming", "whole/large.fits");
        var output = new BlobPath("outputs", "whole/large.fits");
        await TestInputs.UploadAsync(host.Store, input, fits);

        OrchestrationMetadata run = await host.RunAsync(WorkflowNames.ReduceExposure,
            new ReductionRequest(input, output, ConfigJson.Deserialize(config), 128) { Flow = ExposureFlow.Whole });

        ReductionSummary summary = run.ReadOutputAs<ReductionSummary>()!;
        Assert.True(summary.Status == ReductionStatus.Succeeded, summary.Error);
        byte[] expected = TestInputs.InProcess(fits, config);
        Assert.True(expected.Length > OutputBlocks.PartBytes);
        Assert.Equal(expected, await TestInputs.DownloadAsync(host.Store, output));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(expected)), summary.OutputSha256);
    }

    [Fact]
    public async Task ReduceExposure_Average_ReduceStepDownloadsNoPixels()
    {
        byte[] fits = TestInputs.ExposureFits(width: 512, height: 512, seed: 3);
        var input = new BlobPath("incoming", "download/average.fits");
        var output = new BlobPath("outputs", "download/average.fits");
        await TestInputs.UploadAsync(host.Store, input, fits);

        OrchestrationMetadata run = await host.RunAsync(WorkflowNames.ReduceExposure,
            new ReductionRequest(input, output, ConfigJson.Deserialize(TestInputs.ConfigJson("add", "average")), 128));

        ReductionSummary summary = run.ReadOutputAs<ReductionSummary>()!;
        Assert.Equal(ReductionStatus.Succeeded, summary.Status);
        long planeBytes = 512L * 512 * 4;
        // Headers, the PSF table and the tiles' side results (a few 16 KiB ranges): far less than one plane.
        Assert.InRange(summary.ReduceBytesRead, 1, planeBytes / 8);
    }

    [Fact]
    public async Task ReduceExposure_ActivityFailsOnceWithTransientFault_RetriesAndOutputIsIdentical()
    {
        byte[] fits = TestInputs.ExposureFits(seed: 11);
        string config = TestInputs.ConfigJson("add", "average");
        var input = new BlobPath("incoming", "retry/average.fits");
        var output = new BlobPath("outputs", "retry/average.fits");
        await TestInputs.UploadAsync(host.Store, input, fits);
        int injectedBefore = host.Faults.Injected;
        host.Faults.FailOnce("tile-1");

        OrchestrationMetadata run = await host.RunAsync(WorkflowNames.ReduceExposure, new ReductionRequest(input, output, ConfigJson.Deserialize(config), 16));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.Equal(injectedBefore + 1, host.Faults.Injected);
        Assert.Equal(ReductionStatus.Succeeded, run.ReadOutputAs<ReductionSummary>()!.Status);
        Assert.Equal(TestInputs.InProcess(fits, config), await TestInputs.DownloadAsync(host.Store, output));
    }

    [Fact]
    public async Task ReduceExposure_RunTwice_SecondRunGivesSameBytesAndLeavesNoIntermediates()
    {
        byte[] fits = TestInputs.ExposureFits(seed: 12);
        string config = TestInputs.ConfigJson("add", "sum");
        var input = new BlobPath("incoming", "twice/sum.fits");
        var output = new BlobPath("outputs", "twice/sum.fits");
        await TestInputs.UploadAsync(host.Store, input, fits);
        var request = new ReductionRequest(input, output, ConfigJson.Deserialize(config), 10);

        await host.RunAsync(WorkflowNames.ReduceExposure, request);
        byte[] first = await TestInputs.DownloadAsync(host.Store, output);
        OrchestrationMetadata again = await host.RunAsync(WorkflowNames.ReduceExposure, request);

        Assert.Equal(ReductionStatus.Succeeded, again.ReadOutputAs<ReductionSummary>()!.Status);
        Assert.Equal(first, await TestInputs.DownloadAsync(host.Store, output));
        Assert.Empty(await TestInputs.ListAsync(host.Store, "outputs", ReductionNames.WorkPrefix(output)));
    }

    [Fact]
    public async Task ReduceExposure_CorruptInput_FailsWithoutRetryAndQuarantinesTheInput()
    {
        var input = new BlobPath("incoming", "corrupt/not-fits.fits");
        await TestInputs.UploadAsync(host.Store, input, "SIMPLE  = this is not a FITS file"u8.ToArray());
        int callsBefore = host.MapTileCalls;

        OrchestrationMetadata run = await host.RunAsync(WorkflowNames.ReduceExposure,
            new ReductionRequest(input, new BlobPath("outputs", "corrupt/not-fits.fits"), ConfigJson.Deserialize(TestInputs.ConfigJson("add", "average")), 16));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        ReductionSummary summary = run.ReadOutputAs<ReductionSummary>()!;
        Assert.Equal(ReductionStatus.Failed, summary.Status);
        Assert.Contains("(badInput)", summary.Error);
        Assert.Equal(callsBefore, host.MapTileCalls);
        Assert.True(await host.Store.ExistsAsync(new BlobPath("quarantine", "incoming/corrupt/not-fits.fits")));
        Assert.False(await host.Store.ExistsAsync(new BlobPath("outputs", "corrupt/not-fits.fits")));
    }

    [Fact]
    public async Task ReduceExposure_Running_CustomStatusCountsTilesDone()
    {
        byte[] fits = TestInputs.ExposureFits(seed: 13);
        var input = new BlobPath("incoming", "status/average.fits");
        var output = new BlobPath("outputs", "status/average.fits");
        await TestInputs.UploadAsync(host.Store, input, fits);

        OrchestrationMetadata run = await host.RunAsync(WorkflowNames.ReduceExposure, new ReductionRequest(input, output, ConfigJson.Deserialize(TestInputs.ConfigJson("add", "average")), 12));

        var progress = run.ReadCustomStatusAs<ReductionProgress>()!;
        Assert.Equal("succeeded", progress.Phase);
        Assert.Equal(4, progress.TilesTotal);
        Assert.Equal(4, progress.TilesDone);
        Assert.Equal(output, progress.Output);
    }
}
