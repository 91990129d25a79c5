using ImageReducer.Functions.Tests.Infrastructure;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Tests.Concurrency;
using Microsoft.DurableTask.Client;
using Xunit.Abstractions;

namespace ImageReducer.Functions.Tests.Durable;

/// <summary>
/// Concurrent ReduceExposure orchestrations (the Durable engine, Azurite) reducing different inputs to one output — as an
/// upload trigger, a night and an API call can: the output is always one run's bytes with that run's metadata, every
/// other run completes with a failed summary classed <c>conflict</c> / <c>OutputChanged</c>, and no work blobs stay.
/// </summary>
[Collection(WorkflowCollection.Name)]
public class ConcurrentWritersDurableTests(WorkflowHost host, ITestOutputHelper log)
{
    [Fact]
    public async Task ThreeOrchestrationsToOneOutput_ManyRounds_OutputIsOneRunsBytesWithItsMetadata()
    {
        var writers = new ConcurrentWriters(host.Store, log, async request =>
        {
            OrchestrationMetadata run = await host.RunAsync(WorkflowNames.ReduceExposure, request, timeout: TimeSpan.FromMinutes(3));
            Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus); // a lost race is a failed summary, not a failed orchestration
            return run.ReadOutputAs<ReductionSummary>()!;
        });

        int[] successes = await writers.RunRoundsAsync("durable-same", rounds: 6, writers: 3, tileSize: 8);

        Assert.All(successes, n => Assert.InRange(n, 1, 3));
    }

    [Fact]
    public async Task WholeAndTiledOrchestrationsToOneOutput_OutputIsOneRunsBytesWithItsMetadata()
    {
        var writers = new ConcurrentWriters(host.Store, log, async request =>
        {
            OrchestrationMetadata run = await host.RunAsync(WorkflowNames.ReduceExposure, request, timeout: TimeSpan.FromMinutes(3));
            Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
            return run.ReadOutputAs<ReductionSummary>()!;
        });

        int[] successes = await writers.RunRoundsAsync("durable-mixed", rounds: 4, writers: 3, tileSize: 8,
            flowOf: w => w == 1 ? ExposureFlow.Tiled : ExposureFlow.Whole);

        Assert.All(successes, n => Assert.InRange(n, 1, 3));
    }
}
