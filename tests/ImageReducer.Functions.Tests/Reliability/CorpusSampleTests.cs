using System.Diagnostics;
using ImageReducer.Engine.Config;
using ImageReducer.Functions.Tests.Infrastructure;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using ImageReducer.Workflow.Tests.Reliability;
using Microsoft.DurableTask.Client;
using Xunit.Abstractions;
using ImageReducer.Workflow.Api;

namespace ImageReducer.Functions.Tests.Reliability;

/// <summary>
/// A sample of the malformed-FITS corpus (one variant of every error category, then spread over seeds
/// and HDUs; 20 in all) through the real orchestrator on Azurite, all at once: each run ends with the
/// classified error naming the file, nothing under its output, and the input in quarantine.
/// </summary>
[Collection(WorkflowCollection.Name)]
public sealed class CorpusSampleTests(WorkflowHost host, ITestOutputHelper log)
{
    // Twenty small runs at once on a loaded 2-core machine take seconds; only a hang gets near this.
    private static readonly TimeSpan HangTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task ReduceExposure_MalformedCorpusSample_EachFailsClassifiedNoOutputQuarantined()
    {
        var sample = WorkflowCorpus.OrchestratorSample();
        var clock = Stopwatch.StartNew();

        var runs = await Task.WhenAll(sample.Select(async v =>
        {
            var input = new BlobPath("incoming", "corpus-sample/" + v.FileName);
            var output = new BlobPath("outputs", "corpus-sample/" + v.FileName);
            await TestInputs.UploadAsync(host.Store, input, v.CreateBytes());
            var run = await host.RunToEndAsync(WorkflowNames.ReduceExposure,
                new ReductionRequest(input, output, ConfigJson.Deserialize(WorkflowCorpus.ConfigJson), WorkflowCorpus.TileSize), timeout: HangTimeout);
            return (Variant: v, Input: input, Output: output, Run: run);
        }));
        log.WriteLine($"{sample.Count} corpus variants through the orchestrator in {clock.Elapsed.TotalSeconds:F1} s");

        foreach (var (v, input, output, run) in runs)
        {
            Assert.True(run.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{v.Name}: {run.RuntimeStatus} {run.FailureDetails?.ErrorMessage}");
            ReductionSummary summary = run.ReadOutputAs<ReductionSummary>()!;
            string expected = $"{WorkflowCorpus.Expected(v)} (badInput): ";
            Assert.True(summary.Status == ReductionStatus.Failed && summary.Error!.StartsWith(expected, StringComparison.Ordinal)
                && summary.Error.Contains($"{input}: ", StringComparison.Ordinal),
                $"{v.Name} ({v.Description}): expected '{expected}…', got {summary.Status}: {summary.Error}");
            Assert.Equal(summary.Error, run.ReadCustomStatusAs<ReductionProgress>()!.Error);
            Assert.Empty(await TestInputs.ListAsync(host.Store, output.Container, output.Name));
            var copy = new BlobPath("quarantine", $"{input.Container}/{input.Name}");
            Assert.True(await host.Store.ExistsAsync(QuarantineRecord.PathOf(copy)), $"{v.Name}: not quarantined");
        }
    }
}
