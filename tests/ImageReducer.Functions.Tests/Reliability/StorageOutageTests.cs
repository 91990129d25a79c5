using System.Diagnostics;
using ImageReducer.Engine.Config;
using ImageReducer.Functions.Tests.Infrastructure;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Xunit.Abstractions;

namespace ImageReducer.Functions.Tests.Reliability;

/// <summary>
/// Blob storage going away while a ReduceExposure run is mapping tiles: the Azurite process is stopped
/// (SIGTERM) while the first MapTile activity is held, then restarted on the same port with its data.
/// An outage of ~25 s (longer than the store's own retries) is ridden out by the store's retries and the activities' retry policy
/// (the product's settings), and the output is byte-identical to the fault-free run. Run on both Durable backends: in memory
/// (<see cref="StorageOutageTests"/>) and on the storage provider with the task hub in the same Azurite
/// (<see cref="StorageProvider.StorageOutageOnStorageProviderTests"/>), where the worker's own queues and tables go away too.
/// </summary>
public abstract class StorageOutageCases(WorkflowHost host, ITestOutputHelper log)
{
    /// <summary>The product store's settings.</summary>
    protected static readonly AzureBlobStoreOptions StoreDefaults = new();

    // Storage stays down this long after the stop, then the restart takes a few seconds more.
    private static readonly TimeSpan OutageDown = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ReduceExposure_AzuriteStoppedAndRestartedDuringMapTile_CompletesWithOutputIdenticalToFaultFreeRun()
    {
        byte[] fits = TestInputs.ExposureFits(width: 96, height: 64, seed: 31);
        string config = TestInputs.ConfigJson("add", "average");
        var input = new BlobPath("incoming", "outage/restart.fits");
        var output = new BlobPath("outputs", "outage/restart.fits");
        await TestInputs.UploadAsync(host.Store, input, fits);
        var (mapping, outage) = OutageScenario.HoldFirstMapTile(host);
        try
        {
            string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(WorkflowNames.ReduceExposure, new ReductionRequest(input, output, ConfigJson.Deserialize(config), 8));
            await mapping.Task.WaitAsync(TimeSpan.FromMinutes(1));
            var down = Stopwatch.StartNew();
            await host.Azurite.StopAsync();
            outage.SetResult(); // the held MapTile now meets a dead endpoint, like every activity until the restart
            // Longer than the store's own retries (≤ 18.6 s with jitter): the MapTile attempt gives up and the
            // orchestrator's retry policy must take over, so both layers are exercised.
            await Task.Delay(OutageDown);
            await host.Azurite.StartAsync();
            down.Stop();

            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            OrchestrationMetadata done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);

            Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{done.RuntimeStatus}: {done.FailureDetails?.ErrorMessage}");
            ReductionSummary summary = done.ReadOutputAs<ReductionSummary>()!;
            Assert.True(summary.Status == ReductionStatus.Succeeded, summary.Error);
            Assert.True(down.Elapsed < OutageScenario.Window(StoreDefaults, jitter: 0.8), $"the outage ({down.Elapsed}) outlasted what the settings guarantee");
            // Fault-free runs of the workflow give the in-process bytes (ReduceExposureTests); this one must too.
            Assert.Equal(TestInputs.InProcess(fits, config), await TestInputs.DownloadAsync(host.Store, output));
            Assert.Empty(await TestInputs.ListAsync(host.Store, "outputs", ReductionNames.WorkPrefix(output)));
            int calls = host.Calls(WorkflowNames.MapTile, ReductionNames.Plan(output, summary.RunId!));
            Assert.InRange(calls, summary.Tiles + 1, summary.Tiles * ReduceExposureOrchestration.Retry.Retry!.Policy!.MaxNumberOfAttempts);
            log.WriteLine($"outage of {down.Elapsed.TotalSeconds:F1} s (stop, {OutageDown.TotalSeconds:F0} s down, restart) ridden out; {calls} MapTile executions for {summary.Tiles} tiles");
        }
        finally
        {
            host.BeforeMapTile = null;
            await host.Azurite.StartAsync();
        }
    }
}

/// <summary><see cref="StorageOutageCases"/> on the in-memory Durable backend, and the retry arithmetic they rely on.</summary>
public sealed class StorageOutageTests(RestartableWorkflowHost host, ITestOutputHelper log) : StorageOutageCases(host, log), IClassFixture<RestartableWorkflowHost>
{
    [Fact]
    public void RetrySettings_OutageWindow_SeveralSecondsAndBounded()
    {
        // What the defaults survive: every store retry of every activity attempt plus the back-off between attempts.
        TimeSpan window = OutageScenario.Window(StoreDefaults, jitter: 0.8);
        Assert.InRange(window, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2));
        var policy = ReduceExposureOrchestration.Retry.Retry!.Policy!;
        Assert.InRange(policy.MaxNumberOfAttempts, 2, 10);
        Assert.InRange(StoreDefaults.MaxRetries, 2, 10);
    }
}
