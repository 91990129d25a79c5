using System.Collections.Concurrent;
using ImageReducer.Engine.Config;
using ImageReducer.Functions.Tests.Infrastructure;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Durable.Hosting;
using ImageReducer.Workflow.Nights;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using ImageReducer.Workflow.Tests.Azurite;

namespace ImageReducer.Functions.Tests.StorageProvider;

/// <summary>
/// <c>imred worker</c> processes on the storage provider, crashed and shared: a SIGKILLed worker's night completes after a
/// restart, every output byte-identical to the in-process run and committed once; a kill in the middle of Reduce's commit
/// loses nothing; two workers on one task hub share a night's work.
/// </summary>
/// <remarks>Small exposures (a few 16-row tiles each), so the cases take seconds of work; most of their time is the
/// processes' start and the provider's polling.</remarks>
public sealed class WorkerCrashTests : IAsyncLifetime
{
    private const string Config = """{"cellSizeX": 8, "cellSizeY": 8, "gridStepX": 8, "gridStepY": 8, "borderSizeX": 2, "borderSizeY": 2, "scaleByFwhm": false, "mapper": {"name": "add", "addAmount": 1}, "reducer": {"reduceOperation": "average"}}""";
    private static readonly TimeSpan NightTimeout = TimeSpan.FromMinutes(5);
    private AzuriteServer azurite = null!;
    private IBlobStore store = null!;

    public async Task InitializeAsync()
    {
        azurite = await AzuriteServer.StartAllServicesAsync();
        store = new AzureBlobStore(azurite.ConnectionString);
    }

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    [Theory]
    [InlineData(ExposureFlow.Tiled)]
    [InlineData(ExposureFlow.Auto)] // one ReduceExposureWhole activity per exposure, redelivered after the kill
    public async Task A_worker_killed_after_the_first_output_is_restarted_and_the_night_completes_with_every_output_written_once(ExposureFlow flow)
    {
        string name = flow == ExposureFlow.Tiled ? "crash" : "crash-whole";
        string hub = flow == ExposureFlow.Tiled ? "CrashHub" : "CrashWholeHub";
        var night = await SeedNightAsync(name, count: 8, width: 48, height: 40, flow: flow);
        var client = new StorageProviderClient(new TaskHubSettings(azurite.ConnectionString, hub));
        await using var first = await WorkerProcess.StartAsync(azurite.ConnectionString, hub, "crash-worker");
        string id = await ScheduleAsync(client, night.Request);
        using var watch = new OutputWatch(store, night.Request);

        await watch.FirstOutput.WaitAsync(NightTimeout);
        await first.KillAsync();
        int seenAtKill = watch.Seen;
        await using var second = await WorkerProcess.StartAsync(azurite.ConnectionString, hub, "crash-worker");

        InstanceStatus done = await client.WaitAsync(id, cancellationToken: new CancellationTokenSource(NightTimeout).Token);
        await AssertNightCompleteAsync(done, night, watch);
        Assert.True(seenAtKill < night.Expected.Count, $"the kill came after every output ({seenAtKill}): nothing was left to recover");
    }

    [Fact]
    public async Task A_worker_killed_during_Reduces_commit_is_restarted_and_the_output_is_committed_once()
    {
        var night = await SeedNightAsync("commit", count: 3, width: 40, height: 32);
        var client = new StorageProviderClient(new TaskHubSettings(azurite.ConnectionString, "CommitHub"));
        // The first worker reaches the blob service through a relay that swallows the first output commit.
        await using var proxy = new CommitHoldingProxy(azurite.BlobPort, "/outputs/commit-out/");
        string proxied = azurite.ConnectionString.Replace($"127.0.0.1:{azurite.BlobPort}/", $"127.0.0.1:{proxy.Port}/", StringComparison.Ordinal);
        await using var first = await WorkerProcess.StartAsync(proxied, "CommitHub", "commit-worker");
        string id = await ScheduleAsync(client, night.Request);
        using var watch = new OutputWatch(store, night.Request);

        await proxy.Held.WaitAsync(NightTimeout);
        await first.KillAsync();
        await using var second = await WorkerProcess.StartAsync(azurite.ConnectionString, "CommitHub", "commit-worker");

        InstanceStatus done = await client.WaitAsync(id, cancellationToken: new CancellationTokenSource(NightTimeout).Token);
        await AssertNightCompleteAsync(done, night, watch);
    }

    [Fact]
    public async Task Two_workers_share_a_task_hub_and_both_run_the_nights_activities()
    {
        var night = await SeedNightAsync("shared", count: 20, width: 32, height: 48, concurrency: 8);
        var client = new StorageProviderClient(new TaskHubSettings(azurite.ConnectionString, "SharedHub"));
        await using var a = await WorkerProcess.StartAsync(azurite.ConnectionString, "SharedHub", "worker-a", "--max-activities", "2");
        await using var b = await WorkerProcess.StartAsync(azurite.ConnectionString, "SharedHub", "worker-b", "--max-activities", "2");
        string id = await ScheduleAsync(client, night.Request);
        using var watch = new OutputWatch(store, night.Request);

        InstanceStatus done = await client.WaitAsync(id, cancellationToken: new CancellationTokenSource(NightTimeout).Token);
        await AssertNightCompleteAsync(done, night, watch);
        // Both took work: each logged tiles it mapped (the activities' own records, as the Functions app logs them).
        int tilesA = Count(a.Stderr, "ImageReducer.Workflow.Durable.ReductionActivities[1200]");
        int tilesB = Count(b.Stderr, "ImageReducer.Workflow.Durable.ReductionActivities[1200]");
        Assert.True(tilesA > 0 && tilesB > 0, $"worker a mapped {tilesA} tiles, worker b {tilesB}");
        Assert.True(tilesA + tilesB >= 20 * 3, $"{tilesA + tilesB} tiles mapped for 20 exposures of 3 tiles");
        Assert.Equal(0, await a.StopAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal(0, await b.StopAsync(TimeSpan.FromMinutes(1)));
        Assert.Contains("imred worker: stopped", a.Stderr);
    }

    private sealed record Night(NightRequest Request, Dictionary<BlobPath, byte[]> Expected);

    // Tiled unless said: the commit relay holds a block-list commit, and the two-worker case counts mapped tiles.
    private async Task<Night> SeedNightAsync(string name, int count, int width, int height, int concurrency = 4, ExposureFlow flow = ExposureFlow.Tiled)
    {
        var expected = new Dictionary<BlobPath, byte[]>();
        for (int i = 0; i < count; i++)
        {
            byte[] fits = TestInputs.ExposureFits(width, height, seed: 900 + i);
            await TestInputs.UploadAsync(store, new BlobPath("incoming", $"{name}/e{i:D2}.fits"), fits);
            expected[new BlobPath("outputs", $"{name}-out/e{i:D2}.fits")] = TestInputs.InProcess(fits, Config);
        }
        return new Night(new NightRequest("incoming", name + "/", "outputs", name + "-out/", Engine.Config.ConfigJson.Deserialize(Config), TileSize: 16, concurrency)
            { Flow = flow }, expected);
    }

    private static async Task<string> ScheduleAsync(StorageProviderClient client, NightRequest night)
    {
        string id = ReductionNames.NightInstanceId(night);
        Assert.True(await client.ScheduleAsync(WorkflowNames.ReduceNight, night, id));
        return id;
    }

    private async Task AssertNightCompleteAsync(InstanceStatus done, Night night, OutputWatch watch)
    {
        Assert.True(done.RuntimeStatus == "Completed", $"{done.RuntimeStatus}: {done.FailureMessage}");
        foreach (var (path, bytes) in night.Expected)
        {
            Assert.Equal(bytes, await TestInputs.DownloadAsync(store, path));
            // Written once: the blob is the very version first seen (a second commit would change its ETag).
            BlobInfo final = await store.GetPropertiesAsync(path);
            Assert.True(watch.FirstETags.TryGetValue(path.ToString(), out string? first) && first == final.ETag,
                $"{path}: first seen as {first ?? "(never)"}, now {final.ETag}");
        }
        // The report has one line per exposure, the summary counts them all succeeded.
        string report = System.Text.Encoding.UTF8.GetString(await TestInputs.DownloadAsync(store, NightLayout.Report(night.Request)));
        foreach (int i in Enumerable.Range(0, night.Expected.Count))
            Assert.Contains($"{night.Request.Prefix}e{i:D2}.fits", report);
        Assert.Equal(night.Expected.Count, report.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        // The summary counts every exposure reduced by this night, a crash or not: none skipped, none failed, every output's bytes.
        byte[] summaryBytes = await TestInputs.DownloadAsync(store, NightLayout.Summary(night.Request));
        using var summary = System.Text.Json.JsonDocument.Parse(summaryBytes);
        string context = $"summary {System.Text.Encoding.UTF8.GetString(summaryBytes)}\nreport\n{report}";
        Assert.True(night.Expected.Count == Property(summary.RootElement, "exposures").GetInt32(), context);
        Assert.True(night.Expected.Count == Property(summary.RootElement, "succeeded").GetInt32(), context);
        Assert.True(0 == Property(summary.RootElement, "skipped").GetInt32(), context);
        Assert.True(0 == Property(summary.RootElement, "failed").GetInt32(), context);
        Assert.True(night.Expected.Values.Sum(b => (long)b.Length) == Property(summary.RootElement, "outputBytes").GetInt64(), context);
    }

    private static System.Text.Json.JsonElement Property(System.Text.Json.JsonElement o, string name) =>
        o.EnumerateObject().First(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    private static int Count(string text, string what)
    {
        int n = 0;
        for (int at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal)) n++;
        return n;
    }

    /// <summary>Polls the night's outputs and remembers the ETag each one first had.</summary>
    private sealed class OutputWatch : IDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly TaskCompletionSource first = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public OutputWatch(IBlobStore store, NightRequest night) => _ = PollAsync(store, night);

        public ConcurrentDictionary<string, string> FirstETags { get; } = new();
        public Task FirstOutput => first.Task;
        public int Seen => FirstETags.Count;

        private async Task PollAsync(IBlobStore store, NightRequest night)
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    foreach (string name in await TestInputs.ListAsync(store, night.OutputContainer, night.OutputPrefix))
                    {
                        if (!name.EndsWith(".fits", StringComparison.Ordinal) || name.Contains(".work/", StringComparison.Ordinal)) continue;
                        var path = new BlobPath(night.OutputContainer, name);
                        if (FirstETags.ContainsKey(path.ToString())) continue;
                        BlobInfo info = await store.GetPropertiesAsync(path, stop.Token);
                        FirstETags.TryAdd(path.ToString(), info.ETag);
                        first.TrySetResult();
                    }
                    await Task.Delay(50, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (BlobNotFoundException)
                {
                    // Listed, then gone: not an output.
                }
            }
        }

        public void Dispose() => stop.Cancel();
    }
}
