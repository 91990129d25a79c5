using ImageReducer.Engine.Config;
using ImageReducer.Functions.Tests.Infrastructure;
using ImageReducer.Workflow.Api;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using Microsoft.DurableTask.Client;

namespace ImageReducer.Functions.Tests.StorageProvider;

/// <summary>
/// Replay from storage: the worker is restarted between episodes of a running ReduceExposure, so the new worker rebuilds
/// the orchestration from the History table. The replay-safe log says each thing once and the custom status ends right.
/// </summary>
[Collection(StorageProviderCollection.Name)]
public sealed class ReplayFromStorageTests(StorageProviderWorkflowHost host)
{
    [Fact]
    public async Task A_worker_restart_mid_run_replays_from_history_without_repeating_logs_or_losing_progress()
    {
        string config = TestInputs.ConfigJson("add", "average");
        byte[] fits = TestInputs.ExposureFits(width: 40, height: 96, seed: 501);
        var input = new BlobPath("incoming", "replay/a.fits");
        var output = new BlobPath("outputs", "replay/a.fits");
        await TestInputs.UploadAsync(host.Store, input, fits);

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(WorkflowNames.ReduceExposure, new ReductionRequest(input, output, ConfigJson.Deserialize(config), 8),
            cancellation: timeout.Token);
        // Wait until the plan is done and the tiles are fanned out: the orchestration has had at least two episodes.
        while ((await host.Client.GetInstanceAsync(id, getInputsAndOutputs: true, timeout.Token))?.ReadCustomStatusAs<ReductionProgress>() is not { Phase: "mapping" or "reducing" or "succeeded" })
            await Task.Delay(50, timeout.Token);
        await host.RestartWorkerAsync();

        OrchestrationMetadata done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(TestInputs.InProcess(fits, config), await TestInputs.DownloadAsync(host.Store, output));
        ReductionProgress progress = done.ReadCustomStatusAs<ReductionProgress>()!;
        Assert.Equal("succeeded", progress.Phase);
        Assert.Equal(12, progress.TilesTotal); // 96 rows in 8-row tiles
        Assert.Equal(progress.TilesTotal, progress.TilesDone);
        // The orchestration's own records (planned, reduced) once each, however many episodes and workers replayed it.
        var records = host.Logs.Records.Where(r => r["InstanceId"] == id && r.Category.Contains(nameof(ReduceExposureOrchestration), StringComparison.Ordinal)).ToList();
        Assert.Single(records, r => r.EventId.Id == 3001);
        Assert.Single(records, r => r.EventId.Id == 3002);
        Assert.Equal(2, records.Count);
    }
}
