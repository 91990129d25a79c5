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
public sealed class FastFailingWorkflowHost() : WorkflowHost(persistent: false, FastStore)
{
    /// <summary>One retry after 0.2 s.</summary>
    public static AzureBlobStoreOptions FastStore => new() { MaxRetries = 1, RetryDelay = TimeSpan.FromMilliseconds(200) };
}

/// <summary>
/// <see cref="FastFailingWorkflowHost"/> on the storage provider, the task hub in an Azurite of its own: the data account goes
/// away for good, the Durable backend stays (an app's data and <c>AzureWebJobsStorage</c> are two accounts), so the
/// orchestration can still record that it failed. (With one account for both, nothing could record anything until it is back.)
/// </summary>
public sealed class FastFailingStorageProviderHost()
    : WorkflowHost(persistent: false, FastFailingWorkflowHost.FastStore, storageProvider: true, separateTaskHubAccount: true);

/// <summary>
/// Blob storage gone for good while a ReduceExposure run is mapping tiles: the run does not retry
/// forever; it fails within the bound the retry settings give, with the storage error in its failure details. Run on both
/// Durable backends (<see cref="PermanentOutageTests"/>, <see cref="StorageProvider.PermanentOutageOnStorageProviderTests"/>).
/// </summary>
public abstract class PermanentOutageCases(WorkflowHost host, ITestOutputHelper log)
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
            Assert.Contains(WorkflowNames.MapTile, done.FailureDetails!.ErrorMessage);
            Assert.Contains("Blob storage could not be reached", done.FailureDetails.ErrorMessage); // BlobStoreException's message
            // The in-memory backend keeps the failure's types and causes; the storage provider's Instances table keeps its text.
            if (!host.StorageProvider)
            {
                Assert.True(done.FailureDetails.IsCausedBy<TaskFailedException>(), done.FailureDetails.ToString());
                Assert.Contains(nameof(BlobStoreException), OutageScenario.Chain(done.FailureDetails));
            }
            // It gave up because the retries ran out, not at the first error: at least the back-off between attempts passed
            // (1 + 2 + 4 s), less up to a second per retry on the storage provider, whose durable timers are queue messages made
            // visible after a whole number of seconds (the fraction is cut off, so a timer may fire up to 1 s early).
            int retries = ReduceExposureOrchestration.Retry.Retry!.Policy!.MaxNumberOfAttempts - 1;
            TimeSpan minimum = TimeSpan.FromSeconds(7) - (host.StorageProvider ? TimeSpan.FromSeconds(retries) : TimeSpan.Zero);
            Assert.True(clock.Elapsed > minimum, $"failed after only {clock.Elapsed} (at least {minimum} expected)");
            log.WriteLine($"permanent outage: orchestration failed after {clock.Elapsed.TotalSeconds:F1} s (bound {bound.TotalSeconds:F0} s): {done.FailureDetails.ErrorMessage}");
        }
        finally
        {
            host.BeforeMapTile = null;
            await host.Azurite.StartAsync();
        }
    }
}

/// <summary><see cref="PermanentOutageCases"/> on the in-memory Durable backend.</summary>
public sealed class PermanentOutageTests(FastFailingWorkflowHost host, ITestOutputHelper log) : PermanentOutageCases(host, log), IClassFixture<FastFailingWorkflowHost>;
