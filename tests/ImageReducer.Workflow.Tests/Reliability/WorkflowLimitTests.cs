using ImageReducer.Engine;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Mapping;
using ImageReducer.TestSupport;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Tests.Reliability;

/// <summary>
/// Each configured limit refuses a huge exposure at planning, from its headers alone: the input is a
/// sparse 20000 × 20000 LSST file (three 1.6 GB planes that are holes on disk) behind a store that
/// counts the bytes downloaded. The refusal names the limit, the value and the configured maximum.
/// </summary>
public sealed class WorkflowLimitTests : IDisposable
{
    private const int Side = 20_000;

    // Headers are read through 16 KiB range requests: one for the primary + IMAGE headers, one each for
    // MASK and VARIANCE. 64 KiB is ~0.001 % of the file; one row band of one plane would be 80 KB.
    private const long HeaderBudget = 64 << 10;

    private readonly string root = Directory.CreateTempSubdirectory("imred-limits-").FullName;
    private readonly CountingBlobStore store;
    private readonly BlobPath input = new("incoming", "huge/exposure.fits");
    private readonly BlobPath output = new("outputs", "huge/exposure.fits");
    private readonly long fileBytes;

    public WorkflowLimitTests()
    {
        var local = new LocalFolderBlobStore(root);
        fileBytes = SparseExposureFile.Write(Path.Combine(local.Root, input.Container, input.Name), Side, Side);
        store = new CountingBlobStore(local);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task Plan_ExposureOverMaxPixels_RefusedNamingLimitValueAndMaximumAfterReadingOnlyHeaders()
    {
        var limits = new WorkflowLimits { MaxPixels = 1_000_000 };

        ReductionSummary summary = await RunAsync(limits, tileSize: 1024);

        AssertRefused(summary, "MaxPixels", $"{input} is {Side} x {Side} = {(long)Side * Side} pixels; the limit is 1000000 (ImageReducer__MaxPixels)");
    }

    [Fact]
    public async Task Plan_TileSizeGivingMoreThanMaxTiles_RefusedNamingLimitValueAndMaximumAfterReadingOnlyHeaders()
    {
        var limits = new WorkflowLimits { MaxPixels = long.MaxValue, MaxTiles = 100 };

        ReductionSummary summary = await RunAsync(limits, tileSize: 16);

        AssertRefused(summary, "MaxTiles", $"{input}: tile size 16 cuts {Side} rows into {Side / 16} tiles; the limit is 100 (ImageReducer__MaxTiles)");
    }

    [Fact]
    public async Task Plan_GridOverMaxCells_RefusedNamingLimitValueAndMaximumAfterReadingOnlyHeaders()
    {
        var limits = new WorkflowLimits { MaxPixels = long.MaxValue, MaxCells = 1000 };

        ReductionSummary summary = await RunAsync(limits, tileSize: 1024);

        // 8 × 6 px steps over 20000 × 20000 px: 2500 × 3334 cells.
        AssertRefused(summary, "MaxCells", $"{input}: the grid would have 8335000 cells");
        Assert.Contains("more than the limit of 1000", summary.Error);
        Assert.Contains("(ImageReducer__MaxCells = 1000)", summary.Error);
    }

    private Task<ReductionSummary> RunAsync(WorkflowLimits limits, int tileSize) =>
        new TiledReduction(new ReductionServices(store, new MapperRegistry(), limits, EngineOptions.Default))
            .RunAsync(new ReductionRequest(input, output, ConfigJson.Deserialize(WorkflowCorpus.ConfigJson), tileSize));

    private void AssertRefused(ReductionSummary summary, string code, string message)
    {
        Assert.Equal(ReductionStatus.Failed, summary.Status);
        // The tile size and the grid are the caller's settings; an exposure over MaxPixels is a valid input this deployment cannot take.
        string errorClass = code == "MaxPixels" ? "unsuitableInput" : "caller";
        Assert.StartsWith($"{code} ({errorClass}): ", summary.Error);
        Assert.True(summary.Error!.Contains(message, StringComparison.Ordinal), $"expected '{message}' in: {summary.Error}");
        Assert.InRange(store.BytesRead, 1, HeaderBudget);
        Assert.True(fileBytes > 3L * Side * Side * 4, $"the sparse input is only {fileBytes} bytes");
        Assert.Empty(store.ListAsync(output.Container).ToBlockingEnumerable()); // no plan, no output
    }
}
