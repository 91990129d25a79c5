using System.Text.Json;
using ImageReducer.Cli;
using ImageReducer.Functions.Tests.Infrastructure;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Functions.Tests.Api;

/// <summary>
/// <c>imred submit</c>, <c>status</c> and <c>night</c> (the CLI's commands, in this process) against the app's real HTTP
/// functions (<see cref="FunctionsApiServer"/>) on the real Durable engine and Azurite: the CLI's contract DTOs read what the
/// real API writes, and a remote reduction is byte-identical to the in-process one.
/// </summary>
[Collection(WorkflowCollection.Name)]
public sealed class RemoteCliEndToEndTests(WorkflowHost host) : IAsyncLifetime
{
    private const string Key = "e2e-function-key-7Qx";
    private FunctionsApiServer server = null!;
    private readonly string configFile = Path.Combine(Path.GetTempPath(), $"imred-e2e-{Guid.NewGuid():N}.json");

    public Task InitializeAsync()
    {
        server = new FunctionsApiServer(host.Services, host.Client, Key);
        File.WriteAllText(configFile, TestInputs.ConfigJson("add", "average"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        File.Delete(configFile);
    }

    [Fact]
    public async Task SubmitWait_ReducesAnExposure_ByteIdenticalToTheInProcessRun()
    {
        byte[] fits = TestInputs.ExposureFits(width: 64, height: 48, seed: 61);
        await TestInputs.UploadAsync(host.Store, new BlobPath("incoming", "e2e/submit/a.fits"), fits);

        var (code, stdout, stderr) = await Imred("submit", "az://incoming/e2e/submit/a.fits", "-o", "outputs/e2e/submit/a-reduced.fits",
            "--config", configFile, "--tile-size", "16", "--wait", "--json");

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        using JsonDocument run = JsonDocument.Parse(stdout);
        Assert.Equal("succeeded", run.RootElement.GetProperty("outcome").GetString());
        Assert.Equal("Completed", run.RootElement.GetProperty("runtimeStatus").GetString());
        Assert.Equal("az://outputs/e2e/submit/a-reduced.fits", run.RootElement.GetProperty("output").GetString());
        Assert.Equal(3, run.RootElement.GetProperty("total").GetInt32()); // 48 rows in 16-row tiles
        // Exact: the tiles reproduce the in-process reduction bit for bit (docs/functions.md), and the API adds nothing.
        byte[] expected = TestInputs.InProcess(fits, TestInputs.ConfigJson("add", "average"));
        Assert.Equal(expected, await TestInputs.DownloadAsync(host.Store, new BlobPath("outputs", "e2e/submit/a-reduced.fits")));
        Assert.Equal(0, server.Refused);

        // The same request again finds the same instance (the id derives from input, ETag, configuration and tile size).
        string id = run.RootElement.GetProperty("id").GetString()!;
        var (againCode, again, _) = await Imred("submit", "incoming/e2e/submit/a.fits", "-o", "outputs/e2e/submit/a-reduced.fits",
            "--config", configFile, "--tile-size", "16", "--json");
        Assert.Equal(0, againCode);
        using JsonDocument second = JsonDocument.Parse(again);
        Assert.Equal(id, second.RootElement.GetProperty("id").GetString());
        Assert.Equal("succeeded", second.RootElement.GetProperty("outcome").GetString());

        var (statusCode, status, _) = await Imred("status", id);
        Assert.Equal(0, statusCode);
        Assert.Contains("status  succeeded (Completed)", status);
        Assert.Contains("output  az://outputs/e2e/submit/a-reduced.fits (", status);
    }

    [Fact]
    public async Task SubmitWait_OfACorruptExposure_Exits3_WithTheWorkflowsReason()
    {
        await TestInputs.UploadAsync(host.Store, new BlobPath("incoming", "e2e/corrupt/b.fits"), "SIMPLE  = not a FITS file"u8.ToArray());

        var (code, stdout, stderr) = await Imred("submit", "incoming/e2e/corrupt/b.fits", "-o", "outputs/e2e/corrupt/b.fits", "--config", configFile, "--wait");

        Assert.True(code == 3, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Contains("status  failed (Completed)", stdout); // a failure record: the orchestration completed, the reduction did not
        string error = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("imred: error: ", StringComparison.Ordinal));
        Assert.Matches("^imred: error: reduction [^ ]+ failed: .+", error);
    }

    [Fact]
    public async Task SubmitWait_TileSizeOverMaxTiles_Exits2_AndTheInputIsNotQuarantined()
    {
        // 4100 rows in 1-row tiles: over the deployment's MaxTiles (4096). The request is the caller's to fix, not the input.
        var input = new BlobPath("incoming", "e2e/tall/c.fits");
        await TestInputs.UploadAsync(host.Store, input, TestInputs.ExposureFits(width: 4, height: 4100));

        var (code, stdout, stderr) = await Imred("submit", "incoming/e2e/tall/c.fits", "-o", "outputs/e2e/tall/c.fits", "--config", configFile,
            "--tile-size", "1", "--wait");

        Assert.True(code == 2, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Contains("MaxTiles (caller)", stderr);
        Assert.Equal(0, host.Calls(WorkflowNames.Quarantine, input));
        Assert.False(await host.Store.ExistsAsync(new BlobPath("quarantine", "incoming/e2e/tall/c.fits")));
    }

    [Fact]
    public async Task NightWait_ReducesEveryExposureUnderThePrefix()
    {
        string config = TestInputs.ConfigJson("add", "average");
        var expected = new Dictionary<string, byte[]>();
        for (int i = 0; i < 3; i++)
        {
            byte[] fits = TestInputs.ExposureFits(width: 40, height: 30, seed: 300 + i);
            await TestInputs.UploadAsync(host.Store, new BlobPath("incoming", $"e2e-night/v{i}.fits"), fits);
            expected[$"v{i}.fits"] = TestInputs.InProcess(fits, config);
        }

        var (code, stdout, stderr) = await Imred("night", "e2e-night/", "--output-prefix", "e2e-night-out/", "--config", configFile,
            "--tile-size", "16", "--max-concurrent", "2", "--wait", "--json");

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        using JsonDocument run = JsonDocument.Parse(stdout);
        Assert.Equal("succeeded", run.RootElement.GetProperty("outcome").GetString());
        Assert.Equal(3, run.RootElement.GetProperty("done").GetInt32());
        Assert.Equal(3, run.RootElement.GetProperty("total").GetInt32());
        Assert.Equal("az://outputs/e2e-night-out/night-summary.json", run.RootElement.GetProperty("output").GetString());
        var outputs = await TestInputs.ListAsync(host.Store, "outputs", "e2e-night-out/");
        foreach (var (name, bytes) in expected)
        {
            string output = Assert.Single(outputs, o => o.EndsWith("/" + name, StringComparison.Ordinal));
            Assert.Equal(bytes, await TestInputs.DownloadAsync(host.Store, new BlobPath("outputs", output)));
        }
    }

    [Fact]
    public async Task NightWait_OneCorruptExposure_Exits3_AndPointsAtTheReport()
    {
        await TestInputs.UploadAsync(host.Store, new BlobPath("incoming", "e2e-night-bad/v0.fits"), TestInputs.ExposureFits(width: 40, height: 30, seed: 310));
        await TestInputs.UploadAsync(host.Store, new BlobPath("incoming", "e2e-night-bad/v1.fits"), "SIMPLE  = not fits"u8.ToArray());

        var (code, stdout, stderr) = await Imred("night", "e2e-night-bad/", "--output-prefix", "e2e-night-bad-out/", "--config", configFile,
            "--tile-size", "16", "--wait", "--json");

        Assert.True(code == 3, $"exit {code}\n{stdout}\n{stderr}");
        using JsonDocument run = JsonDocument.Parse(stdout);
        Assert.Equal("failed", run.RootElement.GetProperty("outcome").GetString());
        Assert.Equal("az://outputs/e2e-night-bad-out/night-summary.json", run.RootElement.GetProperty("output").GetString());
        Assert.StartsWith("1 of 2 exposures failed; see the night report ", run.RootElement.GetProperty("error").GetString());
        Assert.Contains("1 of 2 exposures failed", stderr);
    }

    [Fact]
    public async Task Submit_OfAMissingBlob_Exits2_WithTheApisFieldError()
    {
        var (code, _, stderr) = await Imred("submit", "incoming/e2e/missing.fits");

        Assert.Equal(2, code);
        Assert.Equal(
        [
            "imred: error: the API refused the request (400 Invalid request): One or more fields are invalid; see errors.",
            "imred:   input: blob 'incoming/e2e/missing.fits' does not exist",
        ], stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Status_OfAnUnknownId_Exits2()
    {
        var (code, _, stderr) = await Imred("status", "no-such-instance");

        Assert.Equal(2, code);
        Assert.Contains("no reduction or night with id 'no-such-instance'", stderr);
    }

    [Fact]
    public async Task WrongKey_IsRefused_Exit2_AndTheKeyIsNotShown()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = await ImredApp.RunAsync(["status", "x", "--endpoint", server.Endpoint, "--function-key", "wrong-key-123"], stdout, stderr);

        Assert.Equal(2, code);
        Assert.Contains("the function key was rejected", stderr.ToString());
        Assert.DoesNotContain("wrong-key-123", stdout.ToString() + stderr);
        Assert.Equal(1, server.Refused);
    }

    private async Task<(int Code, string Stdout, string Stderr)> Imred(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = await ImredApp.RunAsync([.. args, "--endpoint", server.Endpoint, "--function-key", Key, "--poll-interval", "100ms", "--timeout", "4m"],
            stdout, stderr);
        Assert.DoesNotContain(Key, stdout.ToString() + stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
