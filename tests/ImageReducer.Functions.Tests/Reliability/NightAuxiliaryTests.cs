using System.Net;
using System.Text;
using System.Text.Json;
using ImageReducer.Engine.Errors;
using ImageReducer.Functions.Tests.Api;
using ImageReducer.Functions.Tests.Infrastructure;
using ImageReducer.Workflow.Nights;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using Microsoft.DurableTask.Client;

namespace ImageReducer.Functions.Tests.Reliability;

/// <summary>
/// Per-exposure auxiliary inputs in a night (<c>POST /api/nights</c> with <c>auxiliary</c> patterns, <see cref="NightAuxiliary"/>):
/// each exposure reads the template its name resolves to (the in-process bytes with that template), an exposure whose
/// template is missing fails with <c>AuxiliaryInput</c> in the report while the others succeed, and the night asked for
/// again once the template is there reduces only that exposure.
/// </summary>
[Collection(WorkflowCollection.Name)]
public sealed class NightAuxiliaryTests(WorkflowHost host) : ApiServerTests(host, "night-aux-tests-key")
{
    [Fact]
    public async Task PostNight_WithATemplatePattern_ReducesEachExposureWithItsTemplate_AndAMissingOneFailsOnlyThatExposure()
    {
        string config = TestInputs.ConfigJson("subtract", "average");
        string[] names = ["v1/e0.fits", "v1/e1.fits", "v2/e2.fits"];
        var science = new Dictionary<string, byte[]>();
        var templates = new Dictionary<string, byte[]>();
        for (int i = 0; i < names.Length; i++)
        {
            science[names[i]] = TestInputs.ExposureFits(width: 32, height: 24, seed: 90 + i);
            templates[names[i]] = TestInputs.ExposureFits(width: 32, height: 24, seed: 190 + i);
            await TestInputs.UploadAsync(Host.Store, new BlobPath("incoming", "auxnight/" + names[i]), science[names[i]]);
        }
        // Every template but e2's: incoming/auxnight-templates/{dir}{stem}.template.fits
        for (int i = 0; i < 2; i++)
            await TestInputs.UploadAsync(Host.Store, Template(names[i]), templates[names[i]]);
        string body = $$$"""{"prefix": "auxnight/", "outputPrefix": "auxnight-out/", "tileSize": 8, "config": {{{config}}}, "auxiliary": {"template": "az://incoming/auxnight-templates/{dir}{stem}.template.fits"}}""";

        NightSummary first = await RunNightAsync(body);

        Assert.Equal((3, 2, 1, 0), (first.Exposures, first.Succeeded, first.Failed, first.Skipped));
        for (int i = 0; i < 2; i++)
        {
            byte[] expected = TestInputs.InProcess(science[names[i]], config, auxiliaryExposures: new Dictionary<string, byte[]> { ["template"] = templates[names[i]] });
            Assert.Equal(expected, await TestInputs.DownloadAsync(Host.Store, Output(names[i])));
        }
        NightReportEntry failed = Assert.Single(await ReportAsync(first), e => e.Status == NightExposureStatus.Failed);
        Assert.Equal(new BlobPath("incoming", "auxnight/v2/e2.fits"), failed.Input);
        string error = failed.Error!;
        Assert.Contains(ErrorCodes.AuxiliaryInput, error, StringComparison.Ordinal);
        Assert.Contains(Template(names[2]).ToString(), error, StringComparison.Ordinal);

        // The template arrives; the same night again reduces e2 only (the others' outputs are from the same run inputs, template versions included).
        await TestInputs.UploadAsync(Host.Store, Template(names[2]), templates[names[2]]);
        NightSummary second = await RunNightAsync(body);

        Assert.Equal((3, 1, 0, 2), (second.Exposures, second.Succeeded, second.Failed, second.Skipped));
        Assert.Equal(TestInputs.InProcess(science[names[2]], config, auxiliaryExposures: new Dictionary<string, byte[]> { ["template"] = templates[names[2]] }),
            await TestInputs.DownloadAsync(Host.Store, Output(names[2])));
    }

    [Fact]
    public async Task PostNight_AgainAfterATemplateWasReplaced_ReducesThatExposureAgain()
    {
        // Two exposures; b's template is missing, so the night ends with a failure and asking again resumes it.
        string config = TestInputs.ConfigJson("subtract", "average");
        byte[] a = TestInputs.ExposureFits(width: 32, height: 24, seed: 95), b = TestInputs.ExposureFits(width: 32, height: 24, seed: 96);
        await TestInputs.UploadAsync(Host.Store, new BlobPath("incoming", "auxnight2/a.fits"), a);
        await TestInputs.UploadAsync(Host.Store, new BlobPath("incoming", "auxnight2/b.fits"), b);
        await TestInputs.UploadAsync(Host.Store, new BlobPath("incoming", "auxnight2-t/a.fits"), TestInputs.ExposureFits(width: 32, height: 24, seed: 97));
        string body = $$$"""{"prefix": "auxnight2/", "outputPrefix": "auxnight2-out/", "tileSize": 8, "config": {{{config}}}, "auxiliary": {"template": "incoming/auxnight2-t/{name}"}}""";
        NightSummary first = await RunNightAsync(body);
        Assert.Equal((1, 1), (first.Succeeded, first.Failed));

        // a's template replaced, b's uploaded: a's output is from another template version now, so it is not skipped.
        byte[] replaced = TestInputs.ExposureFits(width: 32, height: 24, seed: 98), bTemplate = TestInputs.ExposureFits(width: 32, height: 24, seed: 99);
        await TestInputs.UploadAsync(Host.Store, new BlobPath("incoming", "auxnight2-t/a.fits"), replaced);
        await TestInputs.UploadAsync(Host.Store, new BlobPath("incoming", "auxnight2-t/b.fits"), bTemplate);
        NightSummary again = await RunNightAsync(body);

        Assert.Equal((2, 0, 0), (again.Succeeded, again.Skipped, again.Failed));
        Assert.Equal(TestInputs.InProcess(a, config, auxiliaryExposures: new Dictionary<string, byte[]> { ["template"] = replaced }),
            await TestInputs.DownloadAsync(Host.Store, new BlobPath("outputs", "auxnight2-out/a.fits")));
        Assert.Equal(TestInputs.InProcess(b, config, auxiliaryExposures: new Dictionary<string, byte[]> { ["template"] = bTemplate }),
            await TestInputs.DownloadAsync(Host.Store, new BlobPath("outputs", "auxnight2-out/b.fits")));
    }

    [Theory]
    [InlineData("""{"template": "incoming/t/{stemm}.fits"}""", "auxiliary.template", "unknown placeholder '{stemm}'")]
    [InlineData("""{"template": "{dir}/t.fits"}""", "auxiliary.template", "the container must be literal")]
    [InlineData("""{"template": "outputs/t/{stem}.fits"}""", "auxiliary.template", "input")]
    [InlineData("""{"reference": "incoming/t/{stem}.fits"}""", "auxiliary.reference", "no auxiliary input 'reference'")]
    [InlineData("""{}""", "auxiliary.template", "needs the auxiliary exposure 'template'")]
    public async Task PostNight_WithABadPattern_Is400NamingTheField(string auxiliary, string field, string why)
    {
        string config = TestInputs.ConfigJson("subtract", "average");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Server.Endpoint}/api/nights")
        {
            Content = new StringContent($$$"""{"prefix": "auxbad/", "config": {{{config}}}, "auxiliary": {{{auxiliary}}}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-functions-key", Key);
        using HttpResponseMessage response = await Http.SendAsync(request);

        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        using JsonDocument problem = JsonDocument.Parse(text);
        string message = Assert.Single(problem.RootElement.GetProperty("errors").GetProperty(field).EnumerateArray()).GetString()!;
        Assert.Contains(why, message, StringComparison.Ordinal);
    }

    private static BlobPath Template(string name) =>
        new("incoming", $"auxnight-templates/{name[..(name.LastIndexOf('/') + 1)]}{Path.GetFileNameWithoutExtension(name)}.template.fits");

    private static BlobPath Output(string name) => new("outputs", "auxnight-out/" + name);

    private async Task<NightSummary> RunNightAsync(string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Server.Endpoint}/api/nights") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("x-functions-key", Key);
        using HttpResponseMessage response = await Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {text}");
        using JsonDocument accepted = JsonDocument.Parse(text);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        OrchestrationMetadata done = await Host.Client.WaitForInstanceCompletionAsync(accepted.RootElement.GetProperty("id").GetString()!, getInputsAndOutputs: true, timeout.Token);
        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{done.RuntimeStatus}: {done.FailureDetails?.ErrorMessage}");
        BlobPath summary = done.ReadOutputAs<BlobPath>()!;
        return WorkflowJson.Deserialize<NightSummary>(await TestInputs.DownloadAsync(Host.Store, summary));
    }

    private async Task<NightReportEntry[]> ReportAsync(NightSummary summary)
    {
        string text = Encoding.UTF8.GetString(await TestInputs.DownloadAsync(Host.Store, summary.Report));
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonSerializer.Deserialize<NightReportEntry>(line, WorkflowJson.CompactOptions)!)];
    }
}
