using System.Net;
using System.Text;
using System.Text.Json;
using ImageReducer.Functions.Tests.Api;
using ImageReducer.Functions.Tests.Infrastructure;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Storage;
using Microsoft.DurableTask.Client;

namespace ImageReducer.Functions.Tests.Starting;

/// <summary>
/// <c>POST /api/nights</c> over real HTTP (<see cref="FunctionsApiServer"/>) on the real Durable engine and Azurite: concurrent
/// duplicate posts start one night (the start marker, as for exposures), a repeat after it ended starts nothing, and the night
/// id includes the configuration, so another configuration is another night.
/// </summary>
[Collection(WorkflowCollection.Name)]
public sealed class NightStartTests(WorkflowHost host) : ApiServerTests(host, "night-start-tests-key")
{
    [Fact]
    public async Task StartNight_TenConcurrentDuplicatePosts_StartOneNight_AndLeaveNoMarker()
    {
        await UploadNightAsync("idem-a/", 2);
        string body = NightBody("idem-a/", "idem-a-out/", TestInputs.ConfigJson("add", "average"));

        string[] ids = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => StartAsync(body))));

        string id = Assert.Single(ids.Distinct());
        OrchestrationMetadata done = await WaitAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(1, Host.Calls(WorkflowNames.ListNightPage, "idem-a/"));
        Assert.Equal(1, Host.Calls(WorkflowNames.FinishNight, "idem-a/"));
        Assert.False(await Host.Store.ExistsAsync(new BlobPath("outputs", $".starts/{id}")));

        // The same night posted again once it has ended with every exposure reduced is the same night: nothing runs again.
        Assert.Equal(id, await StartAsync(body));
        await WaitAsync(id);
        Assert.Equal(1, Host.Calls(WorkflowNames.ListNightPage, "idem-a/"));
    }

    [Fact]
    public async Task StartNight_AnotherConfiguration_IsAnotherNight_TheSameOneWrittenDifferentlyIsNot()
    {
        await UploadNightAsync("idem-b/", 1);
        string average = TestInputs.ConfigJson("add", "average");
        string first = await StartAsync(NightBody("idem-b/", "idem-b-out/", average));
        // The same configuration with other spacing and key order: canonically equal, the same night.
        using JsonDocument parsed = JsonDocument.Parse(average);
        string reordered = "{" + string.Join(", ", parsed.RootElement.EnumerateObject().Reverse().Select(p => $"\"{p.Name}\":   {p.Value.GetRawText()}")) + "}";
        Assert.Equal(first, await StartAsync(NightBody("idem-b/", "idem-b-out/", reordered)));
        // More exposures in flight change no result: the same night.
        Assert.Equal(first, await StartAsync(NightBody("idem-b/", "idem-b-out/", average, maxConcurrent: 3)));
        await WaitAsync(first);

        string copy = await StartAsync(NightBody("idem-b/", "idem-b-out/", TestInputs.ConfigJson("add", "copy")));
        string tiles = await StartAsync(NightBody("idem-b/", "idem-b-out/", average, tileSize: 8));

        Assert.Equal(3, new[] { first, copy, tiles }.Distinct().Count());
        await WaitAsync(copy);
        await WaitAsync(tiles);
        Assert.Equal(3, Host.Calls(WorkflowNames.ListNightPage, "idem-b/"));
    }

    [Fact]
    public async Task StartNight_AgainAfterANightWithAFailure_ResumesIt_ReducingOnlyWhatFailed()
    {
        await UploadNightAsync("idem-c/", 2);
        var broken = new BlobPath("incoming", "idem-c/e2.fits");
        await TestInputs.UploadAsync(Host.Store, broken, "not a FITS file"u8.ToArray());
        string body = NightBody("idem-c/", "idem-c-out/", TestInputs.ConfigJson("add", "copy"));
        string id = await StartAsync(body);
        OrchestrationMetadata first = await WaitAsync(id);
        Assert.Equal(1, first.ReadCustomStatusAs<Workflow.Api.ReductionProgress>()!.Failed);
        int reductions = Reductions();

        // The input is fixed; the same night posted again starts again under the same id and reduces only that exposure.
        await TestInputs.UploadAsync(Host.Store, broken, TestInputs.ExposureFits(width: 24, height: 20, seed: 777));
        Assert.Equal(id, await StartAsync(body));
        OrchestrationMetadata second = await WaitAsync(id);

        var progress = second.ReadCustomStatusAs<Workflow.Api.ReductionProgress>()!;
        Assert.Equal(("succeeded", 0, 2), (progress.Phase, progress.Failed, progress.Skipped));
        Assert.Equal(1, Reductions() - reductions);
        Assert.Equal(2, Host.Calls(WorkflowNames.ListNightPage, "idem-c/"));
    }

    /// <summary>Exposures reduced so far, whichever flow reduced them (a night's default, auto, reduces these small ones whole).</summary>
    private int Reductions() => Host.Calls(WorkflowNames.Plan) + Host.Calls(WorkflowNames.ReduceExposureWhole);

    private async Task UploadNightAsync(string prefix, int count)
    {
        for (int i = 0; i < count; i++)
            await TestInputs.UploadAsync(Host.Store, new BlobPath("incoming", $"{prefix}e{i}.fits"), TestInputs.ExposureFits(width: 24, height: 20, seed: 700 + i));
    }

    private static string NightBody(string prefix, string outputPrefix, string config, int tileSize = 16, int maxConcurrent = 2) =>
        $$"""{"prefix": "{{prefix}}", "outputPrefix": "{{outputPrefix}}", "config": {{config}}, "tileSize": {{tileSize}}, "maxConcurrentExposures": {{maxConcurrent}}}""";

    private async Task<string> StartAsync(string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Server.Endpoint}/api/nights") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("x-functions-key", Key);
        using HttpResponseMessage response = await Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {text}");
        using JsonDocument accepted = JsonDocument.Parse(text);
        string id = accepted.RootElement.GetProperty("id").GetString()!;
        Assert.Equal(new Uri($"{Server.Endpoint}/api/nights/{id}"), response.Headers.Location);
        return id;
    }

    private async Task<OrchestrationMetadata> WaitAsync(string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        return await Host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
    }
}
