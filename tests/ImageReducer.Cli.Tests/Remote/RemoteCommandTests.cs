using System.Diagnostics;
using System.Text.Json;
using ImageReducer.Cli.Tests.Infrastructure;
using static ImageReducer.Cli.Tests.Remote.ApiDocuments;

namespace ImageReducer.Cli.Tests.Remote;

/// <summary>
/// <c>imred submit</c>, <c>status</c> and <c>night</c> against a local HTTP server that serves the API's contract: the
/// requests the CLI sends (body, key header), what it prints, and its exit code for every outcome and error class.
/// </summary>
public class RemoteCommandTests
{
    private const string Id = "0a1b2c3d4e5f";

    [Fact]
    public async Task Submit_NoWait_PostsTheRequestWithTheKeyHeader_AndPrintsIdAndStatusUrl()
    {
        await using var api = new FakeApi((r, _) => r.Method == "POST"
            ? FakeResponse.Json(202, Accepted("http://127.0.0.1", Id))
            : FakeResponse.Json(200, Status(Id, "Pending")));

        CliRun run = await RemoteCli.RunAgainstAsync(api, "submit", "az://incoming/night1/e.fits", "-o", "outputs/e-bg.fits",
            "--set", "mapper.name=add", "--set", "mapper.addAmount=5", "--tile-size", "256");

        Assert.True(run.ExitCode == 0, run.ToString());
        RecordedRequest[] requests = [.. api.Requests];
        Assert.Equal(["POST /api/reductions", $"GET /api/reductions/{Id}"], requests.Select(r => $"{r.Method} {r.Path}"));
        Assert.All(requests, r => Assert.Equal(RemoteCli.Key, r.FunctionKey));
        Assert.StartsWith("application/json", requests[0].ContentType);
        using JsonDocument body = JsonDocument.Parse(requests[0].Body);
        Assert.Equal("incoming/night1/e.fits", body.RootElement.GetProperty("input").GetString());
        Assert.Equal("outputs/e-bg.fits", body.RootElement.GetProperty("output").GetString());
        Assert.Equal(256, body.RootElement.GetProperty("tileSize").GetInt32());
        Assert.Equal("add", body.RootElement.GetProperty("config").GetProperty("mapper").GetProperty("name").GetString());
        Assert.Equal(5, body.RootElement.GetProperty("config").GetProperty("mapper").GetProperty("addAmount").GetDouble());
        Assert.Contains($"id      {Id}", run.Stdout);
        Assert.Contains($"url     {api.Endpoint}/api/reductions/{Id}", run.Stdout);
        Assert.Contains($"imred status {Id} --watch", run.Stdout);
        // The function key is never shown.
        Assert.DoesNotContain(RemoteCli.Key, run.Stdout + run.Stderr);
    }

    [Fact]
    public async Task Submit_Aux_SendsTheAuxiliaryBlobsByName()
    {
        await using var api = new FakeApi((r, _) => r.Method == "POST"
            ? FakeResponse.Json(202, Accepted("http://x", Id))
            : FakeResponse.Json(200, Status(Id, "Pending")));

        CliRun run = await RemoteCli.RunAgainstAsync(api, "submit", "incoming/e.fits", "--set", "mapper.name=zogy", "--aux", "template=az://incoming/t.fits", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using JsonDocument body = JsonDocument.Parse(api.Requests.First().Body);
        Assert.Equal("incoming/t.fits", body.RootElement.GetProperty("auxiliary").GetProperty("template").GetString());
    }

    [Theory]
    [InlineData("submit", "incoming/e.fits", "/api/reductions")]
    [InlineData("night", "incoming/2026-11-24/", "/api/nights")]
    public async Task Psf_IsSentAsTheApiTakesIt(string command, string target, string path)
    {
        await using var api = new FakeApi((r, _) => r.Method == "POST"
            ? FakeResponse.Json(202, Accepted("http://x", Id))
            : FakeResponse.Json(200, Status(Id, "Pending")));

        CliRun run = await RemoteCli.RunAgainstAsync(api, command, target, "--psf", "double-gaussian:sigma1=1.5,sigma2=3,b=0.1", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        RecordedRequest post = api.Requests.First();
        Assert.Equal(path, post.Path);
        using JsonDocument body = JsonDocument.Parse(post.Body);
        Assert.StartsWith("double-gaussian:", body.RootElement.GetProperty("psf").GetString());
    }

    [Theory]
    [InlineData("gaussian:sigma=-1")]
    [InlineData("kernel:local-kernel.fits")]
    public async Task Psf_ThatTheAppWouldRefuse_Exits2_BeforeAnyRequest(string spec)
    {
        await using var api = new FakeApi((_, _) => FakeResponse.Json(202, Accepted("http://x", Id)));

        CliRun run = await RemoteCli.RunAgainstAsync(api, "submit", "incoming/e.fits", "--psf", spec);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--psf", run.Stderr);
        Assert.Empty(api.Requests);
    }

    [Fact]
    public async Task Submit_WithoutConfigOrTileSize_SendsOnlyTheInput_SoTheAppDefaultsApply()
    {
        await using var api = new FakeApi((r, _) => r.Method == "POST"
            ? FakeResponse.Json(202, Accepted("http://x", Id))
            : FakeResponse.Json(200, Status(Id, "Pending")));

        CliRun run = await RemoteCli.RunAgainstAsync(api, "submit", "incoming/e.fits", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("""{"input":"incoming/e.fits"}""", api.Requests.First().Body);
    }

    [Fact]
    public async Task Submit_Wait_FollowsTheProgressToCompletion_AndReportsTheOutput()
    {
        string[] statuses =
        [
            Status(Id, "Pending"),
            Status(Id, "Running", ProgressOf("planning", 0, 0)),
            Status(Id, "Running", ProgressOf("mapping", 1, 4)),
            Status(Id, "Running", ProgressOf("mapping", 3, 4)),
            Status(Id, "Running", ProgressOf("reducing", 4, 4)),
            Status(Id, "Completed", ProgressOf("succeeded", 4, 4, "e.fits"), Summary("e.fits"), updatedSeconds: 42),
        ];
        int polls = 0;
        await using var api = new FakeApi((r, _) => r.Method == "POST"
            ? FakeResponse.Json(202, Accepted("http://x", Id))
            : FakeResponse.Json(200, statuses[Math.Min(polls++, statuses.Length - 1)]));

        CliRun run = await RemoteCli.RunAgainstAsync(api, "submit", "incoming/e.fits", "--wait");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(statuses.Length, api.Requests.Count(r => r.Method == "GET"));
        // stderr is redirected here, so each finished phase is one plain line; the mapping phase counted tiles.
        Assert.Contains(run.ErrorLines, l => l.StartsWith("imred: planning ", StringComparison.Ordinal));
        Assert.Contains(run.ErrorLines, l => l.StartsWith("imred: mapping 4 tiles in ", StringComparison.Ordinal) && l.Contains("tiles/s"));
        Assert.Contains(run.ErrorLines, l => l.StartsWith("imred: reducing ", StringComparison.Ordinal));
        Assert.Contains("status  succeeded (Completed)", run.Stdout);
        Assert.Contains("output  az://outputs/e.fits (2.0 MiB, 4 tiles, 120 cells)", run.Stdout);
        Assert.Contains("(42.0 s after created)", run.Stdout);
        Assert.DoesNotContain("follow", run.Stdout);
    }

    [Fact]
    public async Task Status_Json_MatchesTheApprovedDocument()
    {
        await using var api = new FakeApi((_, _) =>
            FakeResponse.Json(200, Status(Id, "Completed", ProgressOf("succeeded", 4, 4, "e.fits"), Summary("e.fits"), updatedSeconds: 42)));

        CliRun run = await RemoteCli.RunAgainstAsync(api, "status", Id, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Approvals.Verify("RemoteStatus.approved.json", run.Stdout.Replace(api.Endpoint, "http://ENDPOINT"));
    }

    [Fact]
    public async Task Night_Wait_SomeExposuresFailed_Exits3_NamingTheReport()
    {
        const string progress = """{"phase":"failed","tilesDone":3,"tilesTotal":3,"output":{"container":"outputs","name":"n/night-report.json"},"error":"1 of 3 exposures failed; see the night report outputs/n/night-report.json","failed":1}""";
        await using var api = new FakeApi((r, _) => r.Method == "POST"
            ? FakeResponse.Json(202, Accepted("http://x", Id))
            : FakeResponse.Json(200, Status(Id, "Completed", progress, """{"Container":"outputs","Name":"n/night-report.json"}""")));

        CliRun run = await RemoteCli.RunAgainstAsync(api, "night", "n/", "--wait");

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains(run.ErrorLines, l => l.Contains("1 of 3 exposures failed; see the night report outputs/n/night-report.json", StringComparison.Ordinal));
        Assert.Contains("output  az://outputs/n/night-report.json", run.Stdout);
    }

    [Theory]
    [InlineData("Completed", true)]   // a rejected input: the orchestration completes with a failure record
    [InlineData("Failed", false)]     // the orchestration itself failed
    [InlineData("Terminated", false)]
    public async Task Status_OfARunThatFailed_Exits3_AndSaysWhy(string runtimeStatus, bool failureRecord)
    {
        string document = failureRecord
            ? Status(Id, runtimeStatus, ProgressOf("failed", 0, 0), FailedSummary("bad.fits", "corrupt FITS: NAXIS1 missing (input quarantined)"))
            : Status(Id, runtimeStatus, ProgressOf("mapping", 1, 4), failure: runtimeStatus == "Failed" ? "MapTile failed after 4 attempts: disk full" : null);
        await using var api = new FakeApi((_, _) => FakeResponse.Json(200, document));

        CliRun run = await RemoteCli.RunAgainstAsync(api, "status", Id);

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains($"status  failed ({runtimeStatus})", run.Stdout);
        string expected = failureRecord ? "corrupt FITS: NAXIS1 missing (input quarantined)"
            : runtimeStatus == "Failed" ? "MapTile failed after 4 attempts: disk full" : "the orchestration is terminated";
        Assert.Equal($"imred: error: run {Id} failed: {expected}", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task Status_OfARunningRun_WithoutWatch_Exits0_AndShowsItsProgress()
    {
        await using var api = new FakeApi((_, _) => FakeResponse.Json(200, Status(Id, "Running", ProgressOf("mapping", 3, 8))));

        CliRun run = await RemoteCli.RunAgainstAsync(api, "status", Id);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("status  Running: mapping 3/8 tiles", run.Stdout);
        Assert.Single(api.Requests);
    }

    [Fact]
    public async Task Status_Watch_StopsAtTimeout_WithExit4_AndSaysTheRunGoesOn()
    {
        await using var api = new FakeApi((_, _) => FakeResponse.Json(200, Status(Id, "Running", ProgressOf("mapping", 1, 8))));
        var clock = Stopwatch.StartNew();

        CliRun run = await RemoteCli.RunAgainstAsync(api, "status", Id, "--watch", "--timeout", "400ms");

        Assert.True(run.ExitCode == 4, run.ToString());
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(350), TimeSpan.FromSeconds(20));
        Assert.True(api.Requests.Count >= 2, "it polled more than once before giving up");
        Assert.Contains($"--timeout 400ms elapsed while following run {Id}; it goes on: imred status {Id} --watch", run.Stderr);
    }

    [Fact]
    public async Task Submit_RefusedWithAProblem_Exits2_AndPrintsEachField()
    {
        string problem = Problem(400, "Invalid request", "One or more fields are invalid; see errors.",
            """{"input":["blob 'incoming/missing.fits' does not exist"],"config.cellSizeX":["must be > 0, got -1"],"tileSize":["must be 1 to 1048576 rows, got 0"]}""");
        await using var api = new FakeApi((_, _) => new FakeResponse(400, problem, "application/problem+json; charset=utf-8"));

        CliRun run = await RemoteCli.RunAgainstAsync(api, "submit", "incoming/missing.fits");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal(
        [
            "imred: error: the API refused the request (400 Invalid request): One or more fields are invalid; see errors.",
            "imred:   input: blob 'incoming/missing.fits' does not exist",
            "imred:   config.cellSizeX: must be > 0, got -1",
            "imred:   tileSize: must be 1 to 1048576 rows, got 0",
        ], run.ErrorLines);
        Assert.Single(api.Requests); // a 400 is not retried
    }

    [Theory]
    [InlineData(401, true, "the function key was rejected")]
    [InlineData(403, true, "the function key was rejected")]
    [InlineData(401, false, "no function key was given")]
    public async Task Unauthorized_Exits2_SaysWhetherTheKeyIsMissingOrWrong_AndNeverShowsIt(int status, bool withKey, string reason)
    {
        await using var api = new FakeApi((_, _) => new FakeResponse(status));
        string[] args = withKey
            ? ["status", Id, "--endpoint", api.Endpoint, "--function-key", RemoteCli.Key, "--verbose"]
            : ["status", Id, "--endpoint", api.Endpoint, "--verbose"];

        CliRun run = await RemoteCli.RunAsync(args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith($"imred: error: GET {api.Endpoint}/api/reductions/{Id} answered {status} ", run.ErrorLines[0]);
        Assert.Contains(reason, run.ErrorLines[0]);
        Assert.Contains("--function-key or IMRED_FUNCTION_KEY", run.ErrorLines[0]);
        Assert.Equal(withKey ? RemoteCli.Key : null, Assert.Single(api.Requests).FunctionKey);
        Assert.DoesNotContain(RemoteCli.Key, run.Stdout + run.Stderr); // --verbose adds the exception, still without the key
    }

    [Fact]
    public async Task Status_OfAnUnknownId_Exits2_NamingTheId()
    {
        await using var api = new FakeApi((_, _) => new FakeResponse(404, Problem(404, "Not found", "no reduction with id 'nope'"), "application/problem+json"));

        CliRun run = await RemoteCli.RunAgainstAsync(api, "status", "nope");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal($"imred: error: no reduction or night with id 'nope' at {api.Endpoint} (no reduction with id 'nope')", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task Submit_ToAnEndpointWithoutTheApi_Exits4_AskingWhetherItIsTheApp()
    {
        await using var api = new FakeApi((_, _) => new FakeResponse(404, "<html>Not here</html>", "text/html"));

        CliRun run = await RemoteCli.RunAgainstAsync(api, "submit", "incoming/e.fits");

        Assert.True(run.ExitCode == 4, run.ToString());
        Assert.Equal($"imred: error: POST {api.Endpoint}/api/reductions answered 404 Not Found: is {api.Endpoint} the ImageReducer app (with the API deployed)?",
            Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task ServerErrors_AreRetried_HonouringRetryAfter_ThenTheStartSucceeds()
    {
        await using var api = new FakeApi((r, n) => n < 2 ? new FakeResponse(503, "", RetryAfter: "0")
            : r.Method == "POST" ? FakeResponse.Json(202, Accepted("http://x", Id))
            : FakeResponse.Json(200, Status(Id, "Pending")));

        CliRun run = await RemoteCli.RunAgainstAsync(api, "submit", "incoming/e.fits");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["POST", "POST", "POST", "GET"], api.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task PersistentServerErrors_StopAfterTheRetries_WithBackOff_AndExit4()
    {
        await using var api = new FakeApi((_, _) => new FakeResponse(500, Problem(500, "Internal Server Error", "storage timeout")));
        var clock = Stopwatch.StartNew();

        CliRun run = await RemoteCli.RunAgainstAsync(api, "status", Id, "--retries", "2");

        Assert.True(run.ExitCode == 4, run.ToString());
        Assert.Equal(3, api.Requests.Count); // 1 + 2 retries, bounded
        // Without Retry-After the waits are 1 s then 2 s.
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2.9), $"took {clock.Elapsed}");
        Assert.Equal($"imred: error: GET {api.Endpoint}/api/reductions/{Id} failed: 500 Internal Server Error (storage timeout) (3 attempts); " +
                     "the service may be starting or overloaded, try again later", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task UnreachableEndpoint_Exits4_SayingWhatAndWhere()
    {
        int port = FakeApi.FreePort();

        CliRun run = await RemoteCli.RunAsync("submit", "incoming/e.fits", "--endpoint", $"http://127.0.0.1:{port}", "--function-key", RemoteCli.Key, "--retries", "0");

        Assert.True(run.ExitCode == 4, run.ToString());
        string line = Assert.Single(run.ErrorLines);
        Assert.StartsWith($"imred: error: cannot reach the ImageReducer API at http://127.0.0.1:{port}: Connection refused", line);
        Assert.EndsWith("check --endpoint or IMRED_ENDPOINT, and that the app (or 'func start') is running", line);
    }

    [Theory]
    [InlineData("<html><body>Welcome to nginx</body></html>")]
    [InlineData("""{"unexpected": true}""")]
    [InlineData("""{"id": 17""")]
    public async Task MalformedResponse_Exits4_QuotingTheStartOfTheBody(string body)
    {
        await using var api = new FakeApi((_, _) => new FakeResponse(200, body, "text/html"));

        CliRun run = await RemoteCli.RunAgainstAsync(api, "status", Id);

        Assert.True(run.ExitCode == 4, run.ToString());
        string line = Assert.Single(run.ErrorLines);
        Assert.StartsWith($"imred: error: GET {api.Endpoint}/api/reductions/{Id} answered 200 with an unexpected body: ", line);
        Assert.Contains(body[..Math.Min(body.Length, 10)], line);
    }

    [Fact]
    public async Task Night_Wait_PostsTheNightBody_AndCountsExposures()
    {
        string[] statuses =
        [
            Status(Id, "Running"),
            Status(Id, "Running", ProgressOf("reducing", 1, 3)),
            Status(Id, "Completed", ProgressOf("succeeded", 3, 3, "n/night-report.json"), """{"Container":"outputs","Name":"bg/n/night-report.json"}"""),
        ];
        int polls = 0;
        await using var api = new FakeApi((r, _) => r.Method == "POST"
            ? FakeResponse.Json(202, Accepted("http://x", Id))
            : FakeResponse.Json(200, statuses[Math.Min(polls++, statuses.Length - 1)]));

        CliRun run = await RemoteCli.RunAgainstAsync(api, "night", "n/", "--container", "raw", "--output-container", "reduced",
            "--output-prefix", "bg/n/", "--max-concurrent", "8", "--set", "mapper.name=background", "--wait");

        Assert.True(run.ExitCode == 0, run.ToString());
        RecordedRequest post = api.Requests.First();
        Assert.Equal("/api/nights", post.Path);
        using JsonDocument body = JsonDocument.Parse(post.Body);
        Assert.Equal("n/", body.RootElement.GetProperty("prefix").GetString());
        Assert.Equal("raw", body.RootElement.GetProperty("container").GetString());
        Assert.Equal("reduced", body.RootElement.GetProperty("outputContainer").GetString());
        Assert.Equal("bg/n/", body.RootElement.GetProperty("outputPrefix").GetString());
        Assert.Equal(8, body.RootElement.GetProperty("maxConcurrentExposures").GetInt32());
        Assert.Equal("background", body.RootElement.GetProperty("config").GetProperty("mapper").GetProperty("name").GetString());
        Assert.Contains(run.ErrorLines, l => l.StartsWith("imred: reducing 3 exposures in ", StringComparison.Ordinal));
        Assert.Contains("output  az://outputs/bg/n/night-report.json", run.Stdout);
    }

    [Fact]
    public async Task Night_ForceKeepInstancesAndBatchSize_AreSentAndLeftOutByDefault()
    {
        await using var api = new FakeApi((r, _) => r.Method == "POST"
            ? FakeResponse.Json(202, Accepted("http://x", Id))
            : FakeResponse.Json(200, Status(Id, "Running")));

        CliRun forced = await RemoteCli.RunAgainstAsync(api, "night", "n/", "--force", "--keep-instances", "--batch-size", "189");
        CliRun plain = await RemoteCli.RunAgainstAsync(api, "night", "n/");

        Assert.True(forced.ExitCode == 0 && plain.ExitCode == 0, forced + "\n" + plain);
        using JsonDocument first = JsonDocument.Parse(api.Requests.Where(r => r.Method == "POST").ElementAt(0).Body);
        Assert.True(first.RootElement.GetProperty("force").GetBoolean());
        Assert.False(first.RootElement.GetProperty("purgeExposures").GetBoolean());
        Assert.Equal(189, first.RootElement.GetProperty("batchSize").GetInt32());
        using JsonDocument second = JsonDocument.Parse(api.Requests.Where(r => r.Method == "POST").ElementAt(1).Body);
        Assert.False(second.RootElement.TryGetProperty("force", out _));
        Assert.False(second.RootElement.TryGetProperty("purgeExposures", out _));
        Assert.False(second.RootElement.TryGetProperty("batchSize", out _));
    }

    [Fact]
    public async Task Night_Aux_SendsEachPatternNormalised()
    {
        await using var api = new FakeApi((r, _) => r.Method == "POST"
            ? FakeResponse.Json(202, Accepted("http://x", Id))
            : FakeResponse.Json(200, Status(Id, "Running")));

        CliRun run = await RemoteCli.RunAgainstAsync(api, "night", "n/", "--set", "mapper.name=decorrelateAL",
            "--aux", "template=az://templates/{dir}{stem}.fits", "--aux", "science=raw/{name}", "--aux", "psfMatchingKernel=kernels/night.fits");

        Assert.True(run.ExitCode == 0, run.ToString());
        using JsonDocument body = JsonDocument.Parse(api.Requests.First(r => r.Method == "POST").Body);
        JsonElement aux = body.RootElement.GetProperty("auxiliary");
        Assert.Equal("templates/{dir}{stem}.fits", aux.GetProperty("template").GetString());
        Assert.Equal("raw/{name}", aux.GetProperty("science").GetString());
        Assert.Equal("kernels/night.fits", aux.GetProperty("psfMatchingKernel").GetString());
    }

    [Theory]
    [InlineData("submit", "no-container-part")]
    [InlineData("submit", "incoming/e.fits", "--set", "cellSizeZ=3")]
    [InlineData("submit", "incoming/e.fits", "--tile-size", "0")]
    [InlineData("night", "n/", "--max-concurrent", "0")]
    [InlineData("night", "n/", "--max-concurrent", "5001")]
    [InlineData("night", "n/", "--batch-size", "1001")]
    [InlineData("night", "n/", "--container", "Bad_Container")]
    [InlineData("night", "n/", "--aux", "template=templates/{stemm}.fits")]
    [InlineData("night", "n/", "--aux", "template")]
    [InlineData("night", "n/", "--aux", "template={dir}/t.fits")]
    [InlineData("status", "x", "--poll-interval", "soon")]
    public async Task BadArguments_Exit2_BeforeAnyRequest(params string[] args)
    {
        await using var api = new FakeApi((_, _) => FakeResponse.Json(500, ""));

        CliRun run = await RemoteCli.RunAgainstAsync(api, args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("imred: error: ", Assert.Single(run.ErrorLines));
        Assert.Empty(api.Requests);
    }

    [Theory]
    [InlineData("ftp://example.org", "not an http:// or https:// URL")]
    [InlineData("https://app.example.org/?code=abc", "without a query or credentials")]
    public async Task BadEndpoint_Exits2(string endpoint, string message)
    {
        CliRun run = await RemoteCli.RunAsync("status", Id, "--endpoint", endpoint);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(message, run.Stderr);
        Assert.DoesNotContain("abc", run.Stderr);
    }

    [Fact]
    public async Task EndpointWithApiSuffix_ReachesTheSameRoutes()
    {
        await using var api = new FakeApi((_, _) => FakeResponse.Json(200, Status(Id, "Pending")));

        CliRun run = await RemoteCli.RunAsync("status", Id, "--endpoint", api.Endpoint + "/api/");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal($"/api/reductions/{Id}", Assert.Single(api.Requests).Path);
    }
}
