using System.Net;
using System.Text;
using System.Text.Json;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.PointSpread;
using ImageReducer.Functions.Tests.Api;
using ImageReducer.Functions.Tests.Infrastructure;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using Microsoft.DurableTask.Client;

namespace ImageReducer.Functions.Tests.Reliability;

/// <summary>
/// A PSF spec in a workflow run (the HTTP body's <c>psf</c>, <see cref="ReductionRequest.Psf"/>) for an input without a stored
/// PSF: the same syntax as <c>imred run --psf</c> and the same bytes as the in-process run with that PSF, for an analytic PSF
/// and for a kernel blob; a malformed spec is the caller's 400.
/// </summary>
[Collection(WorkflowCollection.Name)]
public sealed class PsfSpecTests(WorkflowHost host) : ApiServerTests(host, "psf-spec-tests-key")
{
    [Theory]
    [InlineData("gaussian:sigma=2")]
    [InlineData("double-gaussian:sigma1=1.5,sigma2=3,b=0.2,width=13,height=13")]
    public async Task PostReduction_WithAPsfSpec_ForAnInputWithoutPsf_IsByteIdenticalToTheInProcessRun(string spec)
    {
        byte[] fits = WithoutPsf(TestInputs.ExposureFits(width: 64, height: 48, seed: 81));
        string name = $"psfspec/{spec.Split(':')[0]}.fits";
        await TestInputs.UploadAsync(Host.Store, new BlobPath("incoming", name), fits);
        string config = TestInputs.ConfigJson("add", "average");

        string id = await PostAsync($$"""{"input": "incoming/{{name}}", "output": "outputs/{{name}}", "tileSize": 16, "psf": "{{spec}}", "config": {{config}}}""");
        OrchestrationMetadata done = await WaitAsync(id);

        ReductionSummary summary = done.ReadOutputAs<ReductionSummary>()!;
        Assert.True(summary.Status == ReductionStatus.Succeeded, summary.Error);
        Assert.Equal(3, summary.Tiles);
        byte[] expected = TestInputs.InProcess(fits, config, PsfSpec.Parse(spec).Create(_ => throw new InvalidOperationException()));
        Assert.Equal(expected, await TestInputs.DownloadAsync(Host.Store, new BlobPath("outputs", name)));
    }

    [Fact]
    public async Task ReduceExposure_WithAKernelBlob_UsesItsPsf_ByteIdenticalToTheInProcessRun()
    {
        byte[] fits = WithoutPsf(TestInputs.ExposureFits(width: 40, height: 30, seed: 82));
        var input = new BlobPath("incoming", "psfspec/kernel-input.fits");
        await TestInputs.UploadAsync(Host.Store, input, fits);
        using var kernelFile = new MemoryStream();
        PsfFits.Write(new GaussianPsf(15, 15, 1.7), kernelFile);
        await TestInputs.UploadAsync(Host.Store, new BlobPath("incoming", "psfspec/kernels/k.fits"), kernelFile.ToArray());
        string config = TestInputs.ConfigJson("add", "copy");
        var output = new BlobPath("outputs", "psfspec/kernel-output.fits");

        OrchestrationMetadata run = await Host.RunAsync(WorkflowNames.ReduceExposure,
            new ReductionRequest(input, output, ConfigJson.Deserialize(config), 8) { Psf = "kernel:az://incoming/psfspec/kernels/k.fits" });

        Assert.Equal(ReductionStatus.Succeeded, run.ReadOutputAs<ReductionSummary>()!.Status);
        Psf kernel = PsfFits.Read(new MemoryStream(kernelFile.ToArray()));
        Assert.Equal(TestInputs.InProcess(fits, config, kernel), await TestInputs.DownloadAsync(Host.Store, output));
    }

    [Fact]
    public async Task PostNight_WithAPsfSpec_ReducesEachExposureWithIt_ByteIdenticalToTheInProcessRun()
    {
        byte[] fits = WithoutPsf(TestInputs.ExposureFits(width: 32, height: 24, seed: 83));
        await TestInputs.UploadAsync(Host.Store, new BlobPath("incoming", "psfnight/e0.fits"), fits);
        string config = TestInputs.ConfigJson("add", "average");

        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Server.Endpoint}/api/nights")
        {
            Content = new StringContent($$"""{"prefix": "psfnight/", "outputPrefix": "psfnight-out/", "tileSize": 8, "psf": "gaussian:sigma=1.8", "config": {{config}}}""",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-functions-key", Key);
        using HttpResponseMessage response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using JsonDocument accepted = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        await WaitAsync(accepted.RootElement.GetProperty("id").GetString()!);

        byte[] expected = TestInputs.InProcess(fits, config, PsfSpec.Parse("gaussian:sigma=1.8").Create(_ => throw new InvalidOperationException()));
        Assert.Equal(expected, await TestInputs.DownloadAsync(Host.Store, new BlobPath("outputs", "psfnight-out/e0.fits")));
    }

    [Theory]
    [InlineData("moffat:beta=3", "unknown PSF kind 'moffat'")]
    [InlineData("gaussian:width=11", "sigma is required")]
    [InlineData("kernel:/etc/k.fits", "kernel:az://container/name")]
    [InlineData("kernel:az://outputs/k.fits", "input")]
    public async Task PostReduction_WithABadPsfSpec_Is400NamingThePsfField(string spec, string why)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Server.Endpoint}/api/reductions")
        {
            Content = new StringContent($$"""{"input": "incoming/psfspec/any.fits", "psf": "{{spec}}"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-functions-key", Key);
        using HttpResponseMessage response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using JsonDocument problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        string message = Assert.Single(problem.RootElement.GetProperty("errors").GetProperty("psf").EnumerateArray()).GetString()!;
        Assert.Contains(why, message, StringComparison.Ordinal);
    }

    private static byte[] WithoutPsf(byte[] fits)
    {
        using Exposure exposure = ExposureFits.Read(new MemoryStream(fits, writable: false));
        exposure.Psf = null;
        using var stream = new MemoryStream();
        ExposureFits.Write(exposure, stream);
        return stream.ToArray();
    }

    private async Task<string> PostAsync(string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Server.Endpoint}/api/reductions") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("x-functions-key", Key);
        using HttpResponseMessage response = await Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {text}");
        using JsonDocument accepted = JsonDocument.Parse(text);
        return accepted.RootElement.GetProperty("id").GetString()!;
    }

    private async Task<OrchestrationMetadata> WaitAsync(string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        return await Host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
    }
}
