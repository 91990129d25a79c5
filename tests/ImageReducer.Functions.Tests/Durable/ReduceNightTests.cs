using System.Text;
using System.Text.Json;
using ImageReducer.Engine.Config;
using ImageReducer.Functions.Tests.Infrastructure;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Nights;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using Microsoft.DurableTask.Client;
using ImageReducer.Workflow.Api;

namespace ImageReducer.Functions.Tests.Durable;

/// <summary>
/// The hierarchical night on real reductions: batches by visit, bounded concurrency, the JSON Lines report and the
/// summary, resume (a rerun skips what is done; --force does not), and the purge of recorded exposure instances.
/// </summary>
[Collection(WorkflowCollection.Name)]
public class ReduceNightTests(WorkflowHost host)
{
    [Fact]
    public async Task ReduceNight_TwentyExposuresInFourVisits_TwentyOutputsFourBatchesAndAReportInNameOrder()
    {
        string config = TestInputs.ConfigJson("add", "average");
        var expected = new Dictionary<string, byte[]>();
        for (int i = 0; i < 20; i++)
        {
            byte[] fits = TestInputs.ExposureFits(width: 40, height: 30, seed: 100 + i);
            string name = $"2026-11-24/visit-{i / 5:D3}/ccd-{i % 5:D2}.fits";
            await TestInputs.UploadAsync(host.Store, new BlobPath("incoming", name), fits);
            expected[name] = TestInputs.InProcess(fits, config);
        }
        await TestInputs.UploadAsync(host.Store, new BlobPath("incoming", "2026-11-24/notes.txt"), "not an exposure"u8.ToArray());
        var night = new NightRequest("incoming", "2026-11-24/", "outputs", "nights/2026-11-24/", ConfigJson.Deserialize(config), TileSize: 16, MaxConcurrentExposures: 4);

        OrchestrationMetadata run = await host.RunAsync(WorkflowNames.ReduceNight, night, timeout: TimeSpan.FromMinutes(5));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        var (summary, entries) = await ReadAsync(run);
        Assert.Equal((20, 20, 0, 0, 4), (summary.Exposures, summary.Succeeded, summary.Failed, summary.Skipped, summary.Batches));
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), entries.Select(e => e.Input.Name));
        foreach (NightReportEntry entry in entries)
        {
            Assert.Equal(NightExposureStatus.Succeeded, entry.Status);
            Assert.True(entry.Finished >= entry.Started);
            Assert.True(entry.ActivitySeconds > 0);
            Assert.Equal(int.Parse(entry.Input.Name.AsSpan(17, 3)), entry.Batch); // one batch per visit
            byte[] output = await TestInputs.DownloadAsync(host.Store, entry.Output!);
            Assert.Equal(expected[entry.Input.Name], output);
            Assert.Equal(output.Length, entry.OutputBytes);
        }
        Assert.Equal(entries.Sum(e => e.OutputBytes), summary.OutputBytes);
        Assert.True(summary.ActivitySeconds > 0 && summary.WallSeconds > 0);
        // The night's intermediates (manifests, report parts) are gone.
        Assert.Empty(await TestInputs.ListAsync(host.Store, "outputs", "nights/2026-11-24/night.work/"));
        var progress = run.ReadCustomStatusAs<ReductionProgress>()!;
        Assert.Equal(("succeeded", 20, 20, 4, 4), (progress.Phase, progress.TilesDone, progress.TilesTotal, progress.Batches, progress.BatchesDone));
    }

    [Theory]
    [InlineData(ExposureFlow.Whole)]
    [InlineData(ExposureFlow.Auto)]
    public async Task ReduceNight_WholeFlow_OneActivityPerExposureNoExposureInstanceSameBytesAndACorruptOneQuarantined(ExposureFlow flow)
    {
        string config = TestInputs.ConfigJson("add", "average");
        string prefix = $"whole-{flow}/".ToLowerInvariant();
        var expected = new Dictionary<string, byte[]>();
        for (int i = 0; i < 6; i++)
        {
            byte[] fits = TestInputs.ExposureFits(width: 40, height: 30, seed: 300 + i);
            string name = $"{prefix}visit-{i / 3:D3}/ccd-{i % 3:D2}.fits";
            await TestInputs.UploadAsync(host.Store, new BlobPath("incoming", name), fits);
            expected[name] = TestInputs.InProcess(fits, config);
        }
        var broken = new BlobPath("incoming", $"{prefix}visit-009/broken.fits");
        await TestInputs.UploadAsync(host.Store, broken, "broken"u8.ToArray());
        var night = new NightRequest("incoming", prefix, "outputs", prefix, ConfigJson.Deserialize(config), TileSize: 16, MaxConcurrentExposures: 3) { Flow = flow };

        OrchestrationMetadata run = await host.RunAsync(WorkflowNames.ReduceNight, night, timeout: TimeSpan.FromMinutes(5));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        var (summary, entries) = await ReadAsync(run);
        Assert.Equal((7, 6, 1), (summary.Exposures, summary.Succeeded, summary.Failed));
        foreach (NightReportEntry entry in entries.Where(e => e.Status == NightExposureStatus.Succeeded))
        {
            Assert.Equal(expected[entry.Input.Name], await TestInputs.DownloadAsync(host.Store, entry.Output!));
            Assert.Null(entry.InstanceId); // reduced by the batch's own activity: no instance to purge
            Assert.Equal(1, host.Calls(WorkflowNames.ReduceExposureWhole, entry.Input));
            Assert.Equal(0, host.Calls(WorkflowNames.Plan, entry.Input));
        }
        NightReportEntry failed = Assert.Single(entries, e => e.Status == NightExposureStatus.Failed);
        Assert.Equal(broken, failed.Input);
        Assert.Null(failed.InstanceId);
        Assert.True(await host.Store.ExistsAsync(new BlobPath("quarantine", $"{broken.Container}/{broken.Name}")));
    }

    [Fact]
    public async Task ReduceNight_OneCorruptExposure_ReportsItAndReducesTheOthers()
    {
        string config = TestInputs.ConfigJson("add", "copy");
        await TestInputs.UploadAsync(host.Store, new BlobPath("incoming", "2026-11-25/a.fits"), TestInputs.ExposureFits(width: 32, height: 24, seed: 1));
        await TestInputs.UploadAsync(host.Store, new BlobPath("incoming", "2026-11-25/b.fits"), "broken"u8.ToArray());
        var night = new NightRequest("incoming", "2026-11-25/", "outputs", "nights/2026-11-25/", ConfigJson.Deserialize(config), 16, 2);

        OrchestrationMetadata run = await host.RunAsync(WorkflowNames.ReduceNight, night);

        var (summary, entries) = await ReadAsync(run);
        Assert.Equal((1, 1), (summary.Succeeded, summary.Failed));
        NightReportEntry broken = Assert.Single(entries, e => e.Status == NightExposureStatus.Failed);
        Assert.Equal("2026-11-25/b.fits", broken.Input.Name);
        Assert.False(string.IsNullOrEmpty(broken.Error));
        Assert.Null(broken.Output);
        // The night completes, but its final status says it has a casualty (what imred night --wait exits 3 on).
        var progress = run.ReadCustomStatusAs<ReductionProgress>()!;
        Assert.Equal("failed", progress.Phase);
        Assert.Equal(1, progress.Failed);
        Assert.StartsWith("1 of 2 exposures failed; see the night report ", progress.Error);
    }

    [Fact]
    public async Task ReduceNight_Rerun_SkipsWhatIsDoneReducesTheRestAndForceRedoesAll()
    {
        string config = TestInputs.ConfigJson("add", "copy");
        for (int i = 0; i < 4; i++)
            await TestInputs.UploadAsync(host.Store, new BlobPath("incoming", $"resume/e{i}.fits"), TestInputs.ExposureFits(width: 24, height: 20, seed: 40 + i));
        var night = new NightRequest("incoming", "resume/", "outputs", "resume/", ConfigJson.Deserialize(config), 16, 2) { Flow = ExposureFlow.Tiled };
        await host.RunAsync(WorkflowNames.ReduceNight, night, "resume-1");
        // A partial night: one output lost, one input replaced by a new version (its old output is for other run inputs).
        await host.Store.DeleteAsync(new BlobPath("outputs", "resume/e1.fits"));
        await TestInputs.UploadAsync(host.Store, new BlobPath("incoming", "resume/e2.fits"), TestInputs.ExposureFits(width: 24, height: 20, seed: 99));
        int plansBefore = host.Calls(WorkflowNames.Plan);

        var (summary, entries) = await ReadAsync(await host.RunAsync(WorkflowNames.ReduceNight, night, "resume-2"));

        Assert.Equal((2, 2, 0), (summary.Succeeded, summary.Skipped, summary.Failed));
        Assert.Equal([NightExposureStatus.Skipped, NightExposureStatus.Succeeded, NightExposureStatus.Succeeded, NightExposureStatus.Skipped],
            entries.Select(e => e.Status));
        Assert.Equal(2, host.Calls(WorkflowNames.Plan) - plansBefore);
        Assert.True(await host.Store.ExistsAsync(new BlobPath("outputs", "resume/e1.fits")));
        Assert.Equal(new BlobPath("outputs", "resume/e0.fits"), entries[0].Output);

        var (forced, _) = await ReadAsync(await host.RunAsync(WorkflowNames.ReduceNight, night with { Force = true }, "resume-3"));
        Assert.Equal((4, 0), (forced.Succeeded, forced.Skipped));
    }

    [Fact]
    public async Task ReduceNight_RecordedExposureInstances_ArePurgedUnlessTheNightKeepsThem()
    {
        string config = TestInputs.ConfigJson("add", "copy");
        for (int i = 0; i < 3; i++)
            await TestInputs.UploadAsync(host.Store, new BlobPath("incoming", $"purge/e{i}.fits"), TestInputs.ExposureFits(width: 24, height: 20, seed: 60 + i));
        var night = new NightRequest("incoming", "purge/", "outputs", "purge/", ConfigJson.Deserialize(config), 16, 3) { Flow = ExposureFlow.Tiled }; // exposure instances to purge

        await host.RunAsync(WorkflowNames.ReduceNight, night, "purge-1");
        await host.RunAsync(WorkflowNames.ReduceNight, night with { Force = true, PurgeExposures = false }, "purge-2");

        for (int i = 0; i < 3; i++)
        {
            Assert.Null(await host.Client.GetInstanceAsync(NightLayout.ExposureInstance("purge-1", 0, i)));
            Assert.NotNull(await host.Client.GetInstanceAsync(NightLayout.ExposureInstance("purge-2", 0, i)));
        }
    }

    [Fact]
    public async Task ReduceNight_BatchSizeTwo_SplitsAVisitIntoBatchesOfTwo()
    {
        string config = TestInputs.ConfigJson("add", "copy");
        for (int i = 0; i < 5; i++)
            await TestInputs.UploadAsync(host.Store, new BlobPath("incoming", $"small-batches/v1/e{i}.fits"), TestInputs.ExposureFits(width: 16, height: 16, seed: 80 + i));

        var (summary, entries) = await ReadAsync(await host.RunAsync(WorkflowNames.ReduceNight,
            new NightRequest("incoming", "small-batches/", "outputs", "small-batches/", ConfigJson.Deserialize(config), 16, 8) { BatchSize = 2 }));

        Assert.Equal((5, 3), (summary.Succeeded, summary.Batches));
        Assert.Equal([0, 0, 1, 1, 2], entries.Select(e => e.Batch));
    }

    /// <summary>The night's summary (its output) and the report it names.</summary>
    internal async Task<(NightSummary Summary, NightReportEntry[] Entries)> ReadAsync(OrchestrationMetadata run)
    {
        BlobPath path = run.ReadOutputAs<BlobPath>()!;
        var summary = WorkflowJson.Deserialize<NightSummary>(await TestInputs.DownloadAsync(host.Store, path));
        string text = Encoding.UTF8.GetString(await TestInputs.DownloadAsync(host.Store, summary.Report));
        NightReportEntry[] entries = [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonSerializer.Deserialize<NightReportEntry>(line, WorkflowJson.CompactOptions)!)];
        Assert.Equal(summary.Exposures, entries.Length);
        return (summary, entries);
    }
}
