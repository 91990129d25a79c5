using ImageReducer.Engine.Config;
using ImageReducer.Engine.Errors;
using ImageReducer.Functions.Configuration;
using ImageReducer.TestSupport;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using ImageReducer.Workflow.Tests.Reliability;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImageReducer.Functions.Tests.Reliability;

/// <summary>
/// The limits as the app reads them from its settings (<c>ImageReducer__MaxPixels</c> …): the Plan
/// activity refuses a sparse 20000 × 20000 exposure from its headers alone, with a failure record
/// naming the limit, the value and the configured maximum.
/// </summary>
public sealed class ConfiguredLimitTests : IDisposable
{
    private const int Side = 20_000;
    private const long HeaderBudget = 64 << 10; // three 16 KiB header reads; a 4.8 GB file behind them

    private readonly string root = Directory.CreateTempSubdirectory("imred-config-limits-").FullName;
    private readonly BlobPath input = new("incoming", "huge.fits");

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Theory]
    [InlineData("MaxPixels", "1000000", 1024, "incoming/huge.fits is 20000 x 20000 = 400000000 pixels; the limit is 1000000 (ImageReducer__MaxPixels)")]
    [InlineData("MaxTiles", "100", 16, "incoming/huge.fits: tile size 16 cuts 20000 rows into 1250 tiles; the limit is 100 (ImageReducer__MaxTiles)")]
    [InlineData("MaxCells", "1000", 1024, "incoming/huge.fits: the grid would have 8335000 cells")]
    public async Task Plan_LimitFromSettings_RefusesHugeExposureNamingTheLimitAfterReadingOnlyHeaders(string limit, string value, int tileSize, string message)
    {
        var local = new LocalFolderBlobStore(root);
        long fileBytes = SparseExposureFile.Write(Path.Combine(local.Root, input.Container, input.Name), Side, Side);
        var store = new CountingBlobStore(local);
        var settings = new Dictionary<string, string?>
        {
            ["ImageReducer:MaxPixels"] = limit == "MaxPixels" ? value : "1000000000000",
            [$"ImageReducer:{limit}"] = value,
        };
        using var services = new ServiceCollection()
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .AddSingleton(typeof(ILogger<>), typeof(Logger<>))
            .AddImageReducer(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), store)
            .BuildServiceProvider();
        var activities = services.GetRequiredService<ReductionActivities>();

        PlanSummary plan = await activities.PlanAsync(new ReductionRequest(input, new BlobPath("outputs", "huge.fits"), ConfigJson.Deserialize(WorkflowCorpus.ConfigJson), tileSize));

        Assert.False(plan.Succeeded);
        // The exposure is too large for the deployment (unsuitable input); the tile size and the grid are the caller's settings.
        ErrorClass expected = limit == "MaxPixels" ? ErrorClass.UnsuitableInput : ErrorClass.Caller;
        Assert.Equal(new ErrorInfo(expected, limit, plan.ErrorDetail!.Message), plan.ErrorDetail);
        Assert.True(plan.Error!.Contains(message, StringComparison.Ordinal), $"expected '{message}' in: {plan.Error}");
        Assert.Contains($"ImageReducer__{limit}", plan.Error);
        Assert.InRange(store.BytesRead, 1, HeaderBudget);
        Assert.True(fileBytes > 3L * Side * Side * 4);
        Assert.Empty(await Infrastructure.TestInputs.ListAsync(store, "outputs", ""));
    }
}
