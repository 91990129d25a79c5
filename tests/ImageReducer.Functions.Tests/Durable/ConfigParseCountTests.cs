using System.Text.Json;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Mapping;
using ImageReducer.Functions.Tests.Infrastructure;
using ImageReducer.Workflow.Api;
using ImageReducer.Workflow.Configuration;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Nights;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace ImageReducer.Functions.Tests.Durable;

/// <summary>
/// A run parses its configuration once, at its edge (here the HTTP body, through the API's validator), and carries it typed
/// through the orchestration, the plan, every tile, the reduce and a night's batches: <see cref="ConfigJson.Parses"/> counts
/// the one parse entry point. The process-wide count is only meaningful alone, hence a collection that never runs in parallel.
/// </summary>
[Collection(ConfigParseCountCollection.Name)]
public class ConfigParseCountTests(WorkflowHost host)
{
    private static readonly RequestValidator Validator = new(Options.Create(new ImageReducerOptions { TileSize = 16 }), new MapperRegistry());

    private static JsonElement Config(string operation) =>
        JsonDocument.Parse(TestInputs.ConfigJson("add", operation)).RootElement.Clone();

    [Fact]
    public async Task ReduceExposure_InManyTiles_ParsesTheConfigurationOnce_AtTheEdge()
    {
        var input = new BlobPath("incoming", "parse-count/one.fits");
        await TestInputs.UploadAsync(host.Store, input, TestInputs.ExposureFits(width: 40, height: 48, seed: 61));
        long before = ConfigJson.Parses;

        var (request, errors) = Validator.Validate(new ReductionBody(input.ToString(), "outputs/parse-count/one.fits", Config("average"), 8));
        Assert.Empty(errors);
        OrchestrationMetadata run = await host.RunAsync(WorkflowNames.ReduceExposure, request!);

        var summary = run.ReadOutputAs<ReductionSummary>()!;
        Assert.Equal((ReductionStatus.Succeeded, 6), (summary.Status, summary.Tiles));
        Assert.Equal(1, ConfigJson.Parses - before);
    }

    [Fact]
    public async Task ReduceNight_OfFourExposuresInTwoBatches_ParsesTheConfigurationOnce_AtTheEdge()
    {
        for (int i = 0; i < 4; i++)
            await TestInputs.UploadAsync(host.Store, new BlobPath("incoming", $"parse-night/visit-{i / 2}/ccd-{i}.fits"),
                TestInputs.ExposureFits(width: 40, height: 30, seed: 70 + i));
        long before = ConfigJson.Parses;

        var (night, errors) = Validator.Validate(new NightBody(null, "parse-night/", null, "parse-night-out/", Config("copy"), 8, 2));
        Assert.Empty(errors);
        OrchestrationMetadata run = await host.RunAsync(WorkflowNames.ReduceNight, night!, timeout: TimeSpan.FromMinutes(5));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        NightSummary summary = WorkflowJson.Deserialize<NightSummary>(await TestInputs.DownloadAsync(host.Store, run.ReadOutputAs<BlobPath>()!));
        Assert.Equal((4, 4, 2), (summary.Exposures, summary.Succeeded, summary.Batches));
        Assert.Equal(1, ConfigJson.Parses - before);
    }
}

/// <summary>The parse-count tests: their own host, run when no other test runs (the count is process-wide).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConfigParseCountCollection : ICollectionFixture<WorkflowHost>
{
    public const string Name = "Config parse count";
}
