using System.Text.Json;
using ImageReducer.Cli;
using ImageReducer.Functions.Tests.Infrastructure;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Functions.Tests.StorageProvider;

/// <summary>
/// <c>imred submit</c>, <c>status</c> and <c>night</c> with <c>--connection</c>: no HTTP API, the task hub of the storage account
/// directly, served by the storage-provider worker. The same output, progress and exit codes as over HTTP
/// (<see cref="Api.RemoteCliEndToEndTests"/>), and outputs byte-identical to the in-process run.
/// </summary>
[Collection(StorageProviderCollection.Name)]
public sealed class TaskHubCliTests(StorageProviderWorkflowHost host) : IDisposable
{
    private readonly string configFile = Path.Combine(Path.GetTempPath(), $"imred-taskhub-{Guid.NewGuid():N}.json");

    public void Dispose() => File.Delete(configFile);

    [Fact]
    public async Task SubmitWait_ReducesAnExposure_ByteIdenticalToTheInProcessRun_AndTheSameWorkFindsTheSameInstance()
    {
        File.WriteAllText(configFile, TestInputs.ConfigJson("add", "average"));
        byte[] fits = TestInputs.ExposureFits(width: 64, height: 48, seed: 71);
        await TestInputs.UploadAsync(host.Store, new BlobPath("incoming", "hub/submit/a.fits"), fits);

        var (code, stdout, stderr) = await Imred("submit", "az://incoming/hub/submit/a.fits", "-o", "outputs/hub/submit/a-reduced.fits",
            "--config", configFile, "--tile-size", "16", "--wait", "--json");

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        using JsonDocument run = JsonDocument.Parse(stdout);
        Assert.Equal("succeeded", run.RootElement.GetProperty("outcome").GetString());
        Assert.Equal("Completed", run.RootElement.GetProperty("runtimeStatus").GetString());
        Assert.Equal("az://outputs/hub/submit/a-reduced.fits", run.RootElement.GetProperty("output").GetString());
        Assert.Equal(3, run.RootElement.GetProperty("total").GetInt32());
        Assert.Equal(TestInputs.InProcess(fits, TestInputs.ConfigJson("add", "average")),
            await TestInputs.DownloadAsync(host.Store, new BlobPath("outputs", "hub/submit/a-reduced.fits")));

        string id = run.RootElement.GetProperty("id").GetString()!;
        Assert.StartsWith("reduction-", id); // the API's id for the same work
        var (againCode, again, _) = await Imred("submit", "incoming/hub/submit/a.fits", "-o", "outputs/hub/submit/a-reduced.fits",
            "--config", configFile, "--tile-size", "16", "--json");
        Assert.Equal(0, againCode);
        using JsonDocument second = JsonDocument.Parse(again);
        Assert.Equal(id, second.RootElement.GetProperty("id").GetString());

        var (statusCode, status, _) = await Imred("status", id);
        Assert.Equal(0, statusCode);
        Assert.Contains("status  succeeded (Completed)", status);
        Assert.Contains("output  az://outputs/hub/submit/a-reduced.fits (", status);
    }

    [Fact]
    public async Task SubmitWait_OfACorruptExposure_Exits3_WithTheWorkflowsReason()
    {
        await TestInputs.UploadAsync(host.Store, new BlobPath("incoming", "hub/corrupt/b.fits"), "SIMPLE  = not a FITS file"u8.ToArray());

        var (code, stdout, stderr) = await Imred("submit", "incoming/hub/corrupt/b.fits", "-o", "outputs/hub/corrupt/b.fits", "--wait");

        Assert.True(code == 3, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Contains("status  failed (Completed)", stdout);
        Assert.Matches("imred: error: reduction [^ ]+ failed: .+", stderr);
    }

    [Fact]
    public async Task NightWait_ReducesEveryExposure_AndReportsThem()
    {
        File.WriteAllText(configFile, TestInputs.ConfigJson("add", "average"));
        var expected = new Dictionary<string, byte[]>();
        for (int i = 0; i < 3; i++)
        {
            byte[] fits = TestInputs.ExposureFits(width: 40, height: 30, seed: 400 + i);
            await TestInputs.UploadAsync(host.Store, new BlobPath("incoming", $"hub-night/v{i}.fits"), fits);
            expected[$"v{i}.fits"] = TestInputs.InProcess(fits, TestInputs.ConfigJson("add", "average"));
        }

        var (code, stdout, stderr) = await Imred("night", "hub-night/", "--output-prefix", "hub-night-out/", "--config", configFile,
            "--tile-size", "16", "--max-concurrent", "2", "--wait", "--json");

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        using JsonDocument run = JsonDocument.Parse(stdout);
        Assert.Equal("succeeded", run.RootElement.GetProperty("outcome").GetString());
        Assert.Equal(3, run.RootElement.GetProperty("total").GetInt32());
        Assert.Equal("az://outputs/hub-night-out/night-summary.json", run.RootElement.GetProperty("output").GetString());
        var outputs = await TestInputs.ListAsync(host.Store, "outputs", "hub-night-out/");
        foreach (var (name, bytes) in expected)
            Assert.Equal(bytes, await TestInputs.DownloadAsync(host.Store, new BlobPath("outputs", Assert.Single(outputs, o => o.EndsWith("/" + name, StringComparison.Ordinal)))));
    }

    [Fact]
    public async Task Night_AskedForAgain_AfterAFailure_ResumesUnderTheSameId_AndReducesTheFixedExposure()
    {
        File.WriteAllText(configFile, TestInputs.ConfigJson("add", "average"));
        byte[] good = TestInputs.ExposureFits(width: 40, height: 30, seed: 500);
        byte[] fixedBytes = TestInputs.ExposureFits(width: 40, height: 30, seed: 501);
        await TestInputs.UploadAsync(host.Store, new BlobPath("incoming", "hub-resume/a.fits"), good);
        await TestInputs.UploadAsync(host.Store, new BlobPath("incoming", "hub-resume/b.fits"), "SIMPLE  = not a FITS file"u8.ToArray());
        string[] night = ["night", "hub-resume/", "--output-prefix", "hub-resume-out/", "--config", configFile, "--tile-size", "16", "--wait", "--json"];

        var (firstCode, first, firstErr) = await Imred(night);
        Assert.True(firstCode == 3, $"exit {firstCode}\n{first}\n{firstErr}");
        string id = JsonDocument.Parse(first).RootElement.GetProperty("id").GetString()!;

        await TestInputs.UploadAsync(host.Store, new BlobPath("incoming", "hub-resume/b.fits"), fixedBytes);
        var (code, stdout, stderr) = await Imred(night);

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        using JsonDocument run = JsonDocument.Parse(stdout);
        Assert.Equal(id, run.RootElement.GetProperty("id").GetString());
        Assert.Equal("succeeded", run.RootElement.GetProperty("outcome").GetString());
        var outputs = await TestInputs.ListAsync(host.Store, "outputs", "hub-resume-out/");
        Assert.Equal(TestInputs.InProcess(fixedBytes, TestInputs.ConfigJson("add", "average")),
            await TestInputs.DownloadAsync(host.Store, new BlobPath("outputs", Assert.Single(outputs, o => o.EndsWith("/b.fits", StringComparison.Ordinal)))));
    }

    [Fact]
    public async Task NightWait_WithAnAuxPattern_EachExposureGetsItsTemplate_AndAMissingOneFailsThatExposureOnly()
    {
        File.WriteAllText(configFile, TestInputs.ConfigJson("subtract", "average"));
        byte[] a = TestInputs.ExposureFits(width: 40, height: 30, seed: 600), b = TestInputs.ExposureFits(width: 40, height: 30, seed: 601);
        byte[] template = TestInputs.ExposureFits(width: 40, height: 30, seed: 602);
        await TestInputs.UploadAsync(host.Store, new BlobPath("incoming", "hub-aux/v1/a.fits"), a);
        await TestInputs.UploadAsync(host.Store, new BlobPath("incoming", "hub-aux/v1/b.fits"), b);
        await TestInputs.UploadAsync(host.Store, new BlobPath("incoming", "hub-aux-templates/v1/a.t.fits"), template);

        var (code, stdout, stderr) = await Imred("night", "hub-aux/", "--output-prefix", "hub-aux-out/", "--config", configFile, "--tile-size", "16",
            "--aux", "template=az://incoming/hub-aux-templates/{dir}{stem}.t.fits", "--wait", "--json");

        Assert.True(code == 3, $"exit {code}\n{stdout}\n{stderr}"); // one exposure failed
        Assert.Contains("1 of 2 exposures failed", stderr);
        Assert.Equal(TestInputs.InProcess(a, TestInputs.ConfigJson("subtract", "average"), auxiliaryExposures: new Dictionary<string, byte[]> { ["template"] = template }),
            await TestInputs.DownloadAsync(host.Store, new BlobPath("outputs", "hub-aux-out/v1/a.fits")));
        string report = System.Text.Encoding.UTF8.GetString(await TestInputs.DownloadAsync(host.Store, new BlobPath("outputs", "hub-aux-out/night-report.jsonl")));
        string failed = Assert.Single(report.Split('\n'), l => l.Contains("\"status\":\"failed\"", StringComparison.Ordinal));
        Assert.Contains("hub-aux/v1/b.fits", failed);
        Assert.Contains("AuxiliaryInput", failed);
        Assert.Contains("hub-aux-templates/v1/b.t.fits", failed);
    }

    [Fact]
    public async Task Status_OfAnUnknownId_Exits2()
    {
        var (code, _, stderr) = await Imred("status", "no-such-instance");
        Assert.Equal(2, code);
        Assert.Contains("no reduction or night with id 'no-such-instance' in task hub WorkflowTests", stderr);
    }

    [Fact]
    public async Task Connection_And_Endpoint_Together_Exit2()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = await ImredApp.RunAsync(["status", "x", "--connection", host.TaskHub!.Connection, "--endpoint", "http://localhost:7071"], stdout, stderr);
        Assert.Equal(2, code);
        Assert.Contains("give one", stderr.ToString());
    }

    [Fact]
    public async Task Unreachable_TaskHub_Exits4_WithoutTheKey()
    {
        const string key = "a2V5LW9mLWFuLWFjY291bnQtdGhhdC1pcy1ub3QtdGhlcmU=";
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        string connection = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={key};BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;" +
                            "QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;";
        int code = await ImredApp.RunAsync(["status", "x", "--connection", connection, "--timeout", "2m"], stdout, stderr);
        Assert.True(code == 4, $"exit {code}\n{stderr}");
        Assert.Contains("cannot use task hub", stderr.ToString());
        Assert.DoesNotContain(key, stdout.ToString() + stderr);
    }

    private async Task<(int Code, string Stdout, string Stderr)> Imred(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = await ImredApp.RunAsync([.. args, "--connection", host.TaskHub!.Connection, "--task-hub", host.TaskHub.TaskHub,
            "--poll-interval", "100ms", "--timeout", "4m"], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
