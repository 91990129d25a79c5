using System.Reflection;
using ImageReducer.Functions.Tests.Infrastructure;
using ImageReducer.Workflow.Nights;

namespace ImageReducer.Functions.Tests.StorageProvider;

/// <summary>
/// A night on the Durable Task storage provider with every part a real process (Azurite, two <c>imred worker</c>s,
/// <c>imred night --wait</c>): every output written once, the report complete, the budgets held in the task hub itself, on
/// the night's default flow (each exposure one activity called by its batch) and on the tiled flow (each exposure a
/// sub-orchestration of Plan, MapTiles and Reduce). <c>bench night-provider</c> runs the same at 2,000 exposures.
/// </summary>
[Collection(StorageProviderCollection.Name)]
public sealed class ProviderNightTests(StorageProviderWorkflowHost host)
{
    private static readonly string Dll = ImageReducer.TestSupport.ImredBuild.DllPath;

    [Theory]
    [InlineData(null)]
    [InlineData("tiled")]
    public async Task NightOfFiftyExposures_TwoWorkerProcesses_WritesEachOutputOnce_AndHoldsTheBudgets(string? flow)
    {
        var options = new ProviderNightOptions(50) { PerVisit = 20, MaxConcurrentExposures = 16, Timeout = TimeSpan.FromMinutes(4), Flow = flow, Root = "pnight-" + (flow ?? "auto") };

        ProviderNightResult run = await ProviderNightRun.RunAsync(host.Azurite.ConnectionString, Dll, options);

        Assert.True(run.ExitCode == 0, $"imred night exited {run.ExitCode}\n{run.NightOutput}\n{run.NightLog}");
        NightSummary summary = Assert.IsType<NightSummary>(run.Summary);
        Assert.Equal((50, 50, 0, 0, 3), (summary.Exposures, summary.Succeeded, summary.Failed, summary.Skipped, summary.Batches));
        Assert.Equal((50, 50), (run.ReportLines, run.ReportInputs));
        Assert.Equal(50, run.Outputs);
        Assert.Empty(run.Rewritten); // no output (or its metadata) changed ETag after it first appeared
        Assert.Equal(0, run.LargeMessages);
        Assert.True(run.LongestHistory.Rows is > 0 and <= NightLimits.MaxHistoryEvents, $"{run.LongestHistory}");
        Assert.True(run.LargestPayload.Bytes is > 0 and <= NightLimits.MaxPayloadBytes, $"{run.LargestPayload}");
        // imred night --wait followed it, batch by batch.
        Assert.Contains("imred: reducing ", run.NightLog);
        Assert.Contains("/3 batches", run.NightLog);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NightOnImredWorker_PurgesItsRecordedExposureInstances_UnlessKept_AndKeepsTheNightAndItsReport(bool keepInstances)
    {
        // Exposure instances exist on the tiled flow (a sub-orchestration each); whole exposures are activities of their batch.
        var options = new ProviderNightOptions(6)
        {
            PerVisit = 3, Workers = 1, MaxConcurrentExposures = 6, KeepInstances = keepInstances, Root = keepInstances ? "pnight-kept" : "pnight-purged",
            Timeout = TimeSpan.FromMinutes(3), Flow = "tiled",
        };

        ProviderNightResult run = await ProviderNightRun.RunAsync(host.Azurite.ConnectionString, Dll, options);

        Assert.True(run.ExitCode == 0, $"imred night exited {run.ExitCode}\n{run.NightOutput}\n{run.NightLog}");
        NightSummary summary = Assert.IsType<NightSummary>(run.Summary);
        Assert.Equal((6, 6, 0), (summary.Exposures, summary.Succeeded, summary.Failed));
        Assert.Equal(6, run.ReportLines);
        Assert.Equal(6, run.ExposureInstances);
        Assert.Equal(keepInstances ? 6 : 0, run.ExposureInstancesInHub);
        Assert.True(run.NightInstanceInHub, "the night's own instance was purged");
    }
}
