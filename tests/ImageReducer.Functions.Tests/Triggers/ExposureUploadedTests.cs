using ImageReducer.Functions.Tests.Infrastructure;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using Microsoft.DurableTask.Client;

namespace ImageReducer.Functions.Tests.Triggers;

/// <summary>The blob trigger's start logic, fed synthetic BlobCreated events (Azurite emits none).</summary>
[Collection(WorkflowCollection.Name)]
public sealed class ExposureUploadedTests(WorkflowHost host)
{
    [Fact]
    public async Task Trigger_SameBlobAndETagTenTimesConcurrently_StartsOneInstance()
    {
        var input = new BlobPath("incoming", "events/duplicate.fits");
        string etag = await TestInputs.UploadAsync(host.Store, input, TestInputs.ExposureFits(width: 32, height: 24, seed: 5));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => host.Trigger.StartAsync(host.Client, input, etag))));

        Assert.Single(outcomes, o => o.Started);
        Assert.Single(outcomes.Select(o => o.InstanceId).Distinct());
        OrchestrationMetadata done = await host.Client.WaitForInstanceCompletionAsync(outcomes[0].InstanceId, getInputsAndOutputs: true);
        Assert.Equal(ReductionStatus.Succeeded, done.ReadOutputAs<ReductionSummary>()!.Status);
        var late = await host.Trigger.StartAsync(host.Client, input, etag);
        Assert.False(late.Started);
        Assert.Equal(outcomes[0].InstanceId, late.InstanceId);
    }

    [Fact]
    public async Task Trigger_NewVersionOfTheBlob_StartsANewInstance()
    {
        var input = new BlobPath("incoming", "events/versions.fits");
        string first = await TestInputs.UploadAsync(host.Store, input, TestInputs.ExposureFits(width: 32, height: 24, seed: 6));
        var a = await host.Trigger.StartAsync(host.Client, input, first);
        await host.Client.WaitForInstanceCompletionAsync(a.InstanceId);
        string second = await TestInputs.UploadAsync(host.Store, input, TestInputs.ExposureFits(width: 32, height: 24, seed: 7));

        var b = await host.Trigger.StartAsync(host.Client, input, second);

        Assert.True(a.Started);
        Assert.True(b.Started);
        Assert.NotEqual(a.InstanceId, b.InstanceId);
        await host.Client.WaitForInstanceCompletionAsync(b.InstanceId);
    }
}
