using ImageReducer.Engine.Config;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using ImageReducer.Engine.Gridding;
using ImageReducer.Engine.Reducing;

namespace ImageReducer.Workflow.Tests.Reduction;

/// <summary>Each MapTile reads its own small part of the plan, never the whole plan.</summary>
public sealed class TilePlanTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("imred-tileplan-").FullName;
    private readonly LocalFolderBlobStore store;

    public TilePlanTests() => store = new LocalFolderBlobStore(root);

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task MapTile_StoredPlan_ReadsOnlyItsTilePlanNotTheWholePlan()
    {
        var (plan, input) = await PlanAsync("own.fits", tileSize: 10, ReductionInputs.Fits(width: 120, height: 90, seed: 30));
        var recording = new RecordingStore(store);

        for (int t = 0; t < plan.TileCount; t++) Assert.True((await new MapTileStep(ReductionServices.Create(recording)).RunAsync(new TileTask(plan.Plan!, t))).Succeeded);

        long planBytes = (await store.GetPropertiesAsync(plan.Plan!)).Size;
        Assert.False(recording.Reads.ContainsKey(plan.Plan!.Name), "a tile read the whole plan");
        for (int t = 0; t < plan.TileCount; t++)
        {
            string name = ReductionNames.TilePlan(plan.Plan!, t).Name;
            Assert.True(recording.Reads.TryGetValue(name, out long n), $"tile {t} did not read {name}");
            // A tile's part holds its own cells (about a ninth of them here, plus the halo's), not the grid.
            Assert.True(n * 4 < planBytes, $"tile {t} read {n} bytes of its plan; the whole plan is {planBytes}");
        }
        Assert.True(recording.Reads.ContainsKey(input.Name));
    }

    [Fact]
    public async Task MapTile_PlanStoredWithoutTilePlans_FallsBackToThePlanAndStaysByteIdentical()
    {
        // A run planned before tile plans existed: the tiles take their part from the whole plan.
        byte[] fits = ReductionInputs.Fits(seed: 31);
        string config = ReductionInputs.Config("add", "average");
        var (plan, _) = await PlanAsync("legacy.fits", tileSize: 7, fits, config);
        for (int t = 0; t < plan.TileCount; t++) Assert.True(await store.DeleteAsync(ReductionNames.TilePlan(plan.Plan!, t)));
        var services = ReductionServices.Create(store);

        var tiles = new List<TileResult>();
        for (int t = 0; t < plan.TileCount; t++) tiles.Add(await new MapTileStep(services).RunAsync(new TileTask(plan.Plan!, t)));
        ReductionSummary summary = await new ReduceStep(services).RunAsync(new ReduceTask(plan.Plan!, plan.TileCount));

        Assert.Equal(ReductionStatus.Succeeded, summary.Status);
        Assert.Equal(ReductionInputs.InProcess(fits, config), await ReductionInputs.DownloadAsync(store, summary.Output!));
    }

    [Fact]
    public async Task MapTile_TileIndexOutsideThePlan_FailsWithTheTileCount()
    {
        var (plan, _) = await PlanAsync("outside.fits", tileSize: 10);

        var e = await Assert.ThrowsAsync<ReductionException>(() => new MapTileStep(ReductionServices.Create(store)).RunAsync(new TileTask(plan.Plan!, plan.TileCount)));

        Assert.Contains($"({plan.TileCount} tiles)", e.Message);
    }

    [Fact]
    public void ToGrid_TilePlan_KeepsGlobalCellIndices()
    {
        var tile = new TileSpec(1, new Engine.Imaging.Box(0, 5, 10, 5), new Engine.Imaging.Box(0, 3, 10, 9), [2, 5], [5]);
        var plan = new TilePlan("run", new BlobPath("inputs", "in.fits"), "e", Engine.Fits.ExposureFormat.Lsst, new BlobPath("outputs", "out.fits"),
            OutputKind.Exposure, new Engine.Config.MapReduceConfig(), new Engine.Imaging.Box(0, 0, 10, 10), 7, null, tile,
            [new Engine.Imaging.Box(0, 4, 3, 3), new Engine.Imaging.Box(3, 6, 3, 3)], [new Engine.Imaging.Box(0, 3, 4, 5), new Engine.Imaging.Box(2, 5, 5, 5)]);

        Grid grid = plan.ToGrid();

        Assert.Equal(7, grid.Count);
        Assert.Equal(new Engine.Imaging.Box(0, 4, 3, 3), grid.Cells[2]);
        Assert.Equal(new Engine.Imaging.Box(2, 5, 5, 5), grid.ExpandedCells[5]);
    }

    private async Task<(PlanSummary Plan, BlobPath Input)> PlanAsync(string name, int tileSize, byte[]? fits = null, string? config = null)
    {
        var input = new BlobPath("incoming", name);
        await ReductionInputs.UploadAsync(store, input, fits ?? ReductionInputs.Fits(seed: 30));
        var (_, plan) = await new PlanStep(ReductionServices.Create(store)).RunAsync(
            new ReductionRequest(input, new BlobPath("outputs", name), ConfigJson.Deserialize(config ?? ReductionInputs.Config("add", "average")), tileSize));
        return (plan, input);
    }
}
