using ImageReducer.Functions.Tests.Infrastructure;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Nights;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using Microsoft.DurableTask.Client;
using ImageReducer.Workflow.Api;

namespace ImageReducer.Functions.Tests.Durable;

/// <summary>The ReduceNight orchestration: sub-orchestrations with bounded concurrency and a report.</summary>
[Collection(WorkflowCollection.Name)]
public class ReduceNightTests(WorkflowHost host)
{
    [Fact]
    public async Task ReduceNight_TwentyExposures_TwentyOutputsAndAReport()
    {
        string config = TestInputs.ConfigJson("add", "average");
        var expected = new Dictionary<string, byte[]>();
        for (int i = 0; i < 20; i++)
        {
            byte[] fits = TestInputs.ExposureFits(width: 40, height: 30, seed: 100 + i);
            await TestInputs.UploadAsync(host.Store, new BlobPath("incoming", $"2026-11-24/visit-{i:D3}.fits"), fits);
            expected[$"2026-11-24/visit-{i:D3}.fits"] = TestInputs.InProcess(fits, config);
        }
        await TestInputs.UploadAsync(host.Store, new BlobPath("incoming", "2026-11-24/notes.txt"), "not an exposure"u8.ToArray());
        var night = new NightRequest("incoming", "2026-11-24/", "outputs", "nights/2026-11-24/", config, TileSize: 16, MaxConcurrentExposures: 4);

        OrchestrationMetadata run = await host.RunAsync(WorkflowNames.ReduceNight, night, timeout: TimeSpan.FromMinutes(5));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        BlobPath reportPath = run.ReadOutputAs<BlobPath>()!;
        Assert.Equal(NightSteps.ReportPath(night), reportPath);
        var report = WorkflowJson.Deserialize<NightReport>(await TestInputs.DownloadAsync(host.Store, reportPath));
        Assert.Equal(20, report.Succeeded);
        Assert.Equal(0, report.Failed);
        Assert.Equal(20, report.Exposures.Length);
        foreach (NightReportEntry entry in report.Exposures)
        {
            Assert.Equal(ReductionStatus.Succeeded, entry.Status);
            Assert.NotNull(entry.Output);
            Assert.True(entry.Finished >= entry.Started);
            Assert.Equal(expected[entry.Input.Name], await TestInputs.DownloadAsync(host.Store, entry.Output!));
        }
        var outputs = await TestInputs.ListAsync(host.Store, "outputs", "nights/2026-11-24/");
        Assert.Equal(20, outputs.Count(n => n.EndsWith(".fits", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ReduceNight_OneCorruptExposure_ReportsItAndReducesTheOthers()
    {
        string config = TestInputs.ConfigJson("add", "copy");
        await TestInputs.UploadAsync(host.Store, new BlobPath("incoming", "2026-11-25/a.fits"), TestInputs.ExposureFits(width: 32, height: 24, seed: 1));
        await TestInputs.UploadAsync(host.Store, new BlobPath("incoming", "2026-11-25/b.fits"), "broken"u8.ToArray());
        var night = new NightRequest("incoming", "2026-11-25/", "outputs", "nights/2026-11-25/", config, 16, 2);

        OrchestrationMetadata run = await host.RunAsync(WorkflowNames.ReduceNight, night);

        var report = WorkflowJson.Deserialize<NightReport>(await TestInputs.DownloadAsync(host.Store, run.ReadOutputAs<BlobPath>()!));
        Assert.Equal(1, report.Succeeded);
        Assert.Equal(1, report.Failed);
        NightReportEntry broken = Assert.Single(report.Exposures, e => e.Status == ReductionStatus.Failed);
        Assert.Equal("2026-11-25/b.fits", broken.Input.Name);
        Assert.False(string.IsNullOrEmpty(broken.Error));
        // The night completes, but its final status says it has a casualty (what imred night --wait exits 3 on).
        var progress = run.ReadCustomStatusAs<ReductionProgress>()!;
        Assert.Equal("failed", progress.Phase);
        Assert.Equal(1, progress.Failed);
        Assert.StartsWith("1 of 2 exposures failed; see the night report ", progress.Error);
    }
}
