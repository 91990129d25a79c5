using ImageReducer.Engine.Config;
using ImageReducer.Functions.Tests.Infrastructure;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using Microsoft.DurableTask.Client;
using ImageReducer.Engine.Reducing;

namespace ImageReducer.Functions.Tests.Reliability;

/// <summary>
/// A burst of uploads as Event Grid delivers it: out of order, some events several times, all at
/// once. One instance per blob version, one plan per instance, outputs identical to the in-process runs.
/// </summary>
[Collection(WorkflowCollection.Name)]
public class DuplicateEventTests(WorkflowHost host)
{
    private const int Exposures = 20;

    [Fact]
    public async Task Trigger_TwentyUploadsShuffledWithConcurrentDuplicates_TwentyInstancesTwentyIdenticalOutputs()
    {
        // The host's blob-trigger configuration: add + average, 32-row tiles (2 tiles of these 48-row exposures).
        string config = TestInputs.ConfigJson("add", "average");
        var uploads = new List<(BlobPath Input, string ETag, byte[] Expected)>();
        for (int i = 0; i < Exposures; i++)
        {
            byte[] fits = TestInputs.ExposureFits(width: 40, height: 48, seed: 500 + i);
            var input = new BlobPath("incoming", $"burst/exposure-{i:D2}.fits");
            uploads.Add((input, await TestInputs.UploadAsync(host.Store, input, fits), TestInputs.InProcess(fits, config)));
        }
        // Each blob's event 1, 2 or 3 times (7 + 14 + 18 = 39 events), in a shuffled order, delivered concurrently.
        var events = uploads.SelectMany((u, i) => Enumerable.Repeat(u, 1 + i % 3)).ToArray();
        new Random(2026).Shuffle(events);

        var outcomes = await Task.WhenAll(events.Select(e => Task.Run(() => host.Trigger.StartAsync(host.Client, e.Input, e.ETag))));

        Assert.Equal(39, events.Length);
        Assert.Equal(Exposures, outcomes.Count(o => o.Started));
        Assert.Equal(Exposures, outcomes.Select(o => o.InstanceId).Distinct().Count());
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        foreach (var (input, etag, expected) in uploads)
        {
            string id = ReductionNames.ExposureInstanceId(input, etag);
            Assert.Single(outcomes, o => o.InstanceId == id && o.Started);
            OrchestrationMetadata done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
            ReductionSummary summary = done.ReadOutputAs<ReductionSummary>()!;
            Assert.True(summary.Status == ReductionStatus.Succeeded, $"{input}: {summary.Error}");
            Assert.Equal(1, host.Calls(WorkflowNames.Plan, input)); // one instance ran for this blob
            BlobPath output = ReductionNames.OutputFor(input, "outputs", "", Reducers.For(ReduceOperation.Average));
            Assert.Equal(output, summary.Output);
            Assert.Equal(expected, await TestInputs.DownloadAsync(host.Store, output));
        }
        Assert.Equal(Exposures, (await TestInputs.ListAsync(host.Store, "outputs", "burst/")).Count(n => n.EndsWith(".fits", StringComparison.Ordinal)));

        // A late redelivery of every event, after the runs: nothing new starts.
        var late = await Task.WhenAll(events.Select(e => host.Trigger.StartAsync(host.Client, e.Input, e.ETag)));
        Assert.DoesNotContain(late, o => o.Started);
    }
}
