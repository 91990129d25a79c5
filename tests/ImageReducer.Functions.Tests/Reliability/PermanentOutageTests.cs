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
/// A host whose store gives up quickly (one retry after 0.2 s), so that a permanent outage reaches the
/// orchestrator's retry policy in seconds rather than the product store's ~15 s per attempt; the
/// policy (the product's) is what must end the run. Azurite is stopped for good, restarted only after.
/// </summary>
public sealed class FastFailingWorkflowHost() : WorkflowHost(persistent: false, new AzureBlobStoreOptions
{
    MaxRetries = 1,
    RetryDelay = TimeSpan.FromMilliseconds(200),
});

/// <summary>
/// Blob storage gone for good while a ReduceExposure run is mapping tiles: the run does not retry
/// forever; it fails within the bound the retry settings give, with the storage error in its failure details.
/// </summary>
public sealed class PermanentOutageTests(FastFailingWorkflowHost host, ITestOutputHelper log) : IClassFixture<FastFailingWorkflowHost>
{
    [Fact]
    public async Task ReduceExposure_AzuriteStoppedForGoodDuringMapTile_OrchestrationFailsWithinTheRetryBound()
    {
        byte[] fits = TestInputs.ExposureFits(width: 64, height: 48, seed: 32);
        var input = new BlobPath("incoming", "outage/permanent.fits");
        var output = new BlobPath("outputs", "outage/permanent.fits");
        await TestInputs.UploadAsync(host.Store, input, fits);
        var (mapping, outage) = OutageScenario.HoldFirstMapTile(host);
        try
        {
            string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(WorkflowNames.ReduceExposure,
                new ReductionRequest(input, output, ConfigJson.Deserialize(TestInputs.ConfigJson("add", "sum")), 16));
            await mapping.Task.WaitAsync(TimeSpan.FromMinutes(1));
            await host.Azurite.StopAsync();
            var clock = Stopwatch.StartNew();
            outage.SetResult();

            // Bounded: 4 attempts, each giving up after the store's retries, then the orchestration fails.
            TimeSpan bound = OutageScenario.Window(host.StoreOptions, jitter: 1.2) + TimeSpan.FromSeconds(30);
            using var timeout = new CancellationTokenSource(bound);
            OrchestrationMetadata done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
            clock.Stop();

            Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
            Assert.NotNull(done.FailureDetails);
            Assert.True(done.FailureDetails!.IsCausedBy<TaskFailedException>(), done.FailureDetails.ToString());
            Assert.Contains(WorkflowNames.MapTile, done.FailureDetails.ErrorMessage);
            Assert.Contains(nameof(BlobStoreException), OutageScenario.Chain(done.FailureDetails));
            // It gave up because the retries ran out, not at the first error: at least the back-off between attempts passed.
            Assert.True(clock.Elapsed > TimeSpan.FromSeconds(7), $"failed after only {clock.Elapsed}");
            log.WriteLine($"permanent outage: orchestration failed after {clock.Elapsed.TotalSeconds:F1} s (bound {bound.TotalSeconds:F0} s): {done.FailureDetails.ErrorMessage}");
        }
        finally
        {
            host.BeforeMapTile = null;
            await host.Azurite.StartAsync();
        }
    }
}
