using ImageReducer.Engine.Config;
using ImageReducer.Functions.Tests.Infrastructure;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Nights;
using ImageReducer.Workflow.Observability;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace ImageReducer.Functions.Tests.Observability;

/// <summary>
/// The records the activities and orchestrations write carry <c>InstanceId</c>, <c>Exposure</c> and
/// (MapTile) <c>TileIndex</c> as structured properties with the run's values — what Application
/// Insights stores in <c>customDimensions</c> and the Kusto queries of docs/functions.md filter on.
/// </summary>
[Collection(WorkflowCollection.Name)]
public class StructuredLogTests(WorkflowHost host)
{
    private static readonly string ActivitiesCategory = typeof(ReductionActivities).FullName!;

    [Fact]
    public async Task ReduceExposure_ThreeTiles_EveryActivityRecordCarriesInstanceExposureAndTile()
    {
        var input = new BlobPath("incoming", "logs/three-tiles.fits");
        var output = new BlobPath("outputs", "logs/three-tiles.fits");
        await TestInputs.UploadAsync(host.Store, input, TestInputs.ExposureFits(seed: 31)); // 48 rows
        string id = "logs-three-tiles";

        await host.RunAsync(WorkflowNames.ReduceExposure, new ReductionRequest(input, output, ConfigJson.Deserialize(TestInputs.ConfigJson("add", "sum")), 16), id);

        var mine = host.Logs.Records.Where(r => r[LogProperties.InstanceId] == id).ToList();
        var activities = mine.Where(r => r.Category == ActivitiesCategory).ToList();
        Assert.All(activities, r => Assert.Equal(input.ToString(), r[LogProperties.Exposure]));

        CapturedLog plan = Assert.Single(activities, r => r.EventId.Id == 1100);
        Assert.Equal("3", plan["Tiles"]);
        Assert.True(long.Parse(plan["BytesRead"]!) > 0);

        var tiles = activities.Where(r => r.EventId.Id == 1200).ToList();
        Assert.Equal(["0", "1", "2"], tiles.Select(r => r[LogProperties.TileIndex]!).Order());
        Assert.All(tiles, r =>
        {
            Assert.Equal(LogLevel.Information, r.Level);
            Assert.True(long.Parse(r["BytesRead"]!) > 0 && long.Parse(r["BytesWritten"]!) > 0, r.Message);
        });
        // Only MapTile records are about one tile.
        Assert.All(activities.Where(r => r.EventId.Id != 1200), r => Assert.Null(r[LogProperties.TileIndex]));

        CapturedLog reduce = Assert.Single(activities, r => r.EventId.Id == 1300);
        Assert.Equal(output.ToString(), reduce["Output"]);

        // The orchestration's replay-safe logger: once per record although the orchestrator replays after each activity.
        string orchestration = typeof(ReduceExposureOrchestration).FullName!;
        Assert.Single(mine, r => r.Category == orchestration && r.EventId.Id == 3001 && r[LogProperties.Exposure] == input.ToString());
        Assert.Single(mine, r => r.Category == orchestration && r.EventId.Id == 3002);
    }

    [Fact]
    public async Task ReduceNight_CorruptExposure_QuarantineAndNightStepsLogWithTheirInstance()
    {
        await TestInputs.UploadAsync(host.Store, new BlobPath("incoming", "logs-night/a.fits"), TestInputs.ExposureFits(width: 24, height: 20, seed: 32));
        var broken = new BlobPath("incoming", "logs-night/b.fits");
        await TestInputs.UploadAsync(host.Store, broken, "not a FITS file"u8.ToArray());
        var night = new NightRequest("incoming", "logs-night/", "outputs", "logs-night/", ConfigJson.Deserialize(TestInputs.ConfigJson("add", "copy")), 16, 2)
            { Flow = ExposureFlow.Tiled }; // the exposure orchestration's and Quarantine activity's records
        string id = "logs-night";

        await host.RunAsync(WorkflowNames.ReduceNight, night, id);

        var records = host.Logs.Records;
        CapturedLog listed = Assert.Single(records, r => r.EventId.Id == 1500 && r[LogProperties.InstanceId] == id);
        Assert.Equal("incoming/logs-night/", listed[LogProperties.Night]);
        Assert.Equal("2", listed["Exposures"]);
        Assert.Single(records, r => r.EventId.Id == 1501 && r[LogProperties.InstanceId] == id && r[LogProperties.Night] == "incoming/logs-night/");

        // b.fits is the second exposure of the night's one batch: sub-orchestration {night}-b000000-0001.
        string exposureId = NightLayout.ExposureInstance(id, 0, 1);
        CapturedLog rejected = Assert.Single(records, r => r.EventId.Id == 1101 && r[LogProperties.InstanceId] == exposureId);
        Assert.Equal(broken.ToString(), rejected[LogProperties.Exposure]);
        CapturedLog quarantined = Assert.Single(records, r => r.EventId.Id == 1400 && r[LogProperties.InstanceId] == exposureId);
        Assert.Equal(broken.ToString(), quarantined[LogProperties.Exposure]);
        Assert.Equal(LogLevel.Warning, quarantined.Level);
    }
}
