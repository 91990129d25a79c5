using ImageReducer.Cli;
using ImageReducer.Functions.Tests.Api;
using ImageReducer.Functions.Tests.Infrastructure;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Functions.Tests.StorageProvider;

/// <summary>
/// A request the app refuses is refused the same way through both doors: over HTTP (the app's API) and with
/// <c>--connection</c> (scheduled on the task hub directly). Both apply the API's one <c>RequestValidator</c> — allowed
/// containers, defaults, limits, the PSF's kernel blob — so the exit code and every field line are the same; only who
/// refused ("the API", "the task hub client") differs in the first line.
/// </summary>
[Collection(StorageProviderCollection.Name)]
public sealed class RefusalParityTests(StorageProviderWorkflowHost host) : IAsyncLifetime
{
    private const string Key = "parity-function-key-4Hd";
    private FunctionsApiServer server = null!;

    public Task InitializeAsync()
    {
        server = new FunctionsApiServer(host.Services, host.Client, Key);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    /// <summary>Requests the CLI itself accepts (well-formed) and the app refuses, with the field each must name.</summary>
    public static TheoryData<string[], string> Refused => new()
    {
        { ["submit", "secret/parity/a.fits"], "input: container 'secret' is not an allowed input container (allowed: incoming)" },
        { ["submit", "incoming/parity/a.fits", "-o", "elsewhere/a.fits"], "output: container 'elsewhere' is not an allowed output container (allowed: outputs)" },
        { ["submit", "incoming/parity/a.fits", "-o", "outputs/.starts/a.fits"], "output: output '.starts/a.fits' has a segment starting with '.'" },
        { ["submit", "incoming/parity/a.fits", "--tile-size", "2000000"], "tileSize: must be 1 to 1048576 rows, got 2000000" },
        { ["submit", "incoming/parity/a.fits", "--psf", "kernel:az://secret/k.fits"], "psf: container 'secret' is not an allowed input container" },
        { ["submit", "incoming/parity/missing.fits"], "input: blob 'incoming/parity/missing.fits' does not exist" },
        { ["night", "parity/", "--container", "secret"], "container: container 'secret' is not an allowed input container (allowed: incoming)" },
        { ["night", "parity/", "--output-container", "elsewhere"], "outputContainer: container 'elsewhere' is not an allowed output container (allowed: outputs)" },
        { ["night", "parity/", "--output-prefix", ".work/"], "outputPrefix: output prefix '.work/' has a segment starting with '.'" },
        { ["night", "parity/", "--tile-size", "2000000"], "tileSize: must be 1 to 1048576 rows, got 2000000" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_refused_request_fails_alike_over_HTTP_and_through_the_task_hub(string[] args, string field)
    {
        await TestInputs.UploadAsync(host.Store, new BlobPath("incoming", "parity/a.fits"), TestInputs.ExposureFits(width: 32, height: 24, seed: 5));

        var (httpCode, httpLines) = await Imred([.. args, "--endpoint", server.Endpoint, "--function-key", Key]);
        var (hubCode, hubLines) = await Imred([.. args, "--connection", host.TaskHub!.Connection, "--task-hub", host.TaskHub.TaskHub]);

        Assert.True(httpCode == 2, $"over HTTP: exit {httpCode}\n{string.Join('\n', httpLines)}");
        Assert.True(hubCode == 2, $"through the task hub: exit {hubCode}\n{string.Join('\n', hubLines)}");
        Assert.Equal("imred: error: the API refused the request (400 Invalid request): One or more fields are invalid; see errors.", httpLines[0]);
        Assert.Equal("imred: error: the task hub client refused the request (400 Invalid request): One or more fields are invalid; see errors.", hubLines[0]);
        Assert.Equal(httpLines[1..], hubLines[1..]);
        Assert.Contains(hubLines, l => l.StartsWith("imred:   " + field, StringComparison.Ordinal));
    }

    private static async Task<(int Code, string[] Stderr)> Imred(string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = await ImredApp.RunAsync([.. args, "--poll-interval", "100ms", "--timeout", "1m"], stdout, stderr);
        return (code, stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
