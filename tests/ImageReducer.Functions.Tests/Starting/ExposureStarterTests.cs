using System.Text;
using ImageReducer.Engine.Config;
using ImageReducer.Functions.Starting;
using ImageReducer.Functions.Tests.Infrastructure;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using Microsoft.DurableTask.Client;

namespace ImageReducer.Functions.Tests.Starting;

/// <summary>The start marker's life: it arbitrates concurrent duplicate starts, then leaves nothing behind.</summary>
[Collection(WorkflowCollection.Name)]
public sealed class ExposureStarterTests(WorkflowHost host)
{
    [Fact]
    public async Task StartAsync_TenConcurrentDuplicates_StartsOnceAndLeavesNoMarker()
    {
        var (request, id) = await RequestAsync("starter/concurrent.fits", seed: 11);
        var starter = new ExposureStarter(host.Store);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => starter.StartAsync(host.Client, request, id))));
        await host.Client.WaitForInstanceCompletionAsync(id);

        Assert.Single(outcomes, o => o.Started);
        Assert.False(await host.Store.ExistsAsync(ExposureStarter.MarkerOf(request, id)));
        Assert.Empty(await MarkersAsync(request.Output.Container, id));
    }

    [Fact]
    public async Task StartAsync_FreshMarkerOfAStartInProgress_DoesNotScheduleAndKeepsIt()
    {
        // Another process won the marker and has not scheduled yet: this start must stand back.
        var (request, id) = await RequestAsync("starter/in-progress.fits", seed: 12);
        BlobPath marker = ExposureStarter.MarkerOf(request, id);
        Assert.True(await host.Store.TryCreateAsync(marker, Encoding.UTF8.GetBytes("other starter\n")));

        StartOutcome outcome = await new ExposureStarter(host.Store).StartAsync(host.Client, request, id);

        Assert.False(outcome.Started);
        Assert.Null(await host.Client.GetInstanceAsync(id));
        Assert.True(await host.Store.ExistsAsync(marker));
        await host.Store.DeleteAsync(marker);
    }

    [Fact]
    public async Task StartAsync_AfterTheRunCompleted_IsANoOpAndLeavesNoMarker()
    {
        var (request, id) = await RequestAsync("starter/late.fits", seed: 13);
        var starter = new ExposureStarter(host.Store);
        Assert.True((await starter.StartAsync(host.Client, request, id)).Started);
        await host.Client.WaitForInstanceCompletionAsync(id);

        StartOutcome late = await starter.StartAsync(host.Client, request, id);

        Assert.False(late.Started);
        Assert.Empty(await MarkersAsync(request.Output.Container, id));
    }

    private async Task<(ReductionRequest Request, string Id)> RequestAsync(string name, int seed)
    {
        var input = new BlobPath("incoming", name);
        string etag = await TestInputs.UploadAsync(host.Store, input, TestInputs.ExposureFits(width: 32, height: 24, seed: seed));
        var output = new BlobPath("outputs", name);
        return (new ReductionRequest(input, output, ConfigJson.Deserialize(TestInputs.ConfigJson("add", "average")), 32), ReductionNames.ExposureInstanceId(input, etag));
    }

    private async Task<List<BlobInfo>> MarkersAsync(string container, string id)
    {
        var found = new List<BlobInfo>();
        await foreach (BlobInfo b in host.Store.ListAsync(container, $".starts/{id}")) found.Add(b);
        return found;
    }
}
