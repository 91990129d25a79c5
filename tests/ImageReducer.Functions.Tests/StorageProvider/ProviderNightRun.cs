using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using ImageReducer.Functions.Tests.Infrastructure;
using ImageReducer.Workflow.Durable.Hosting;
using ImageReducer.Workflow.Nights;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using ImageReducer.Workflow.Tests.Azurite;

namespace ImageReducer.Functions.Tests.StorageProvider;

/// <summary>A night of small exposures on the Durable Task storage provider, served by <c>imred worker</c> processes.</summary>
/// <param name="Exposures">Exposures in the night.</param>
public sealed record ProviderNightOptions(int Exposures)
{
    /// <summary>Exposures per visit folder (each visit is a batch).</summary>
    public int PerVisit { get; init; } = 200;

    /// <summary>Exposure width and height (pixels): small, so that the night measures the orchestration, not the pixels.</summary>
    public (int Width, int Height) Size { get; init; } = (64, 48);

    /// <summary>Rows per tile: 3 MapTiles per exposure at the default size.</summary>
    public int TileSize { get; init; } = 16;

    /// <summary><c>imred worker</c> processes serving the task hub.</summary>
    public int Workers { get; init; } = 2;

    /// <summary>The night's concurrency bound (<c>imred night --max-concurrent</c>).</summary>
    public int MaxConcurrentExposures { get; init; } = 64;

    /// <summary>Keep the exposures' instances in the task hub (<c>imred night --keep-instances</c>); by default the night purges them.</summary>
    public bool KeepInstances { get; init; }

    /// <summary>The night's input folder in <c>incoming</c>; its outputs go under <c>outputs/{Root}-out/</c>. Runs on one Azurite need their own.</summary>
    public string Root { get; init; } = "pnight";

    /// <summary>How long the night may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The workers' longest wait between polls of an idle queue (<c>imred worker --polling-interval</c>). Short for a small
    /// night (a message waits less); on a large one every idle control queue polled this often is load on the emulator.
    /// </summary>
    public TimeSpan WorkerPollingInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Activities each worker runs at once (<c>imred worker --max-activities</c>); null for the worker's default (its cores).
    /// A small exposure's activity mostly waits on storage, so more than the cores keeps them busy.
    /// </summary>
    public int? WorkerMaxActivities { get; init; }

    /// <summary>
    /// Count the work items the workers executed (orchestration episodes and activities, redeliveries included) from their
    /// own log: the Durable Task framework's Information events, which cost a log line each, so only the bench turns them on.
    /// </summary>
    public bool CountWorkItems { get; init; }

    /// <summary>How often <c>imred night --wait</c> reads the night's progress (<c>--poll-interval</c>).</summary>
    public TimeSpan NightPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often the outputs are listed while the night runs (each listing names every output so far, so on a large night
    /// a short interval is a load that grows with the night). An output rewritten later than this after it first appeared
    /// shows as a changed ETag; a final listing follows the night.
    /// </summary>
    public TimeSpan WatchInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How each exposure is split into activities (<c>imred night --flow</c>: auto, whole or tiled); null for the night's
    /// default (auto, which reduces these small exposures whole: one <c>ReduceExposureWhole</c> activity called by the batch).
    /// </summary>
    public string? Flow { get; init; }

    /// <summary>MapTile activities per exposure on the tiled flow.</summary>
    public int TilesPerExposure => (Size.Height + TileSize - 1) / TileSize;

    /// <summary>Whether the exposures run tiled (Plan, MapTiles, Reduce in a <c>ReduceExposure</c> sub-orchestration) rather than whole.</summary>
    public bool Tiled => Flow == "tiled";

    /// <summary>Activities one exposure needs: Plan + tiles + Reduce when tiled, else one.</summary>
    public int ActivitiesPerExposure => Tiled ? 2 + TilesPerExposure : 1;

    /// <summary>The <paramref name="index"/>-th exposure's name.</summary>
    public string NameOf(int index) => $"{Root}/visit-{index / PerVisit:D4}/ccd-{index % PerVisit:D4}.fits";
}

/// <summary>What a night on the storage provider did, and what its task hub and outputs show afterwards.</summary>
/// <param name="ExitCode"><c>imred night --wait</c>'s exit code.</param>
/// <param name="NightOutput">Its stdout (<c>--json</c>).</param>
/// <param name="NightLog">Its stderr (progress lines).</param>
/// <param name="Summary">The night's summary (null when the night wrote none).</param>
/// <param name="ReportLines">Lines of the night report.</param>
/// <param name="ReportInputs">Distinct inputs it names.</param>
/// <param name="Outputs">Exposure outputs seen.</param>
/// <param name="Rewritten">Outputs whose ETag changed after they first appeared (written more than once).</param>
/// <param name="LargeMessages">Blobs in the task hub's large-message container (payloads over the queue's inline limit).</param>
/// <param name="LongestHistory">Most history rows of one orchestration execution left in the task hub, and whose.</param>
/// <param name="LargestPayload">Largest input, result or status the task hub's tables hold, in bytes, and where.</param>
/// <param name="Upload">Writing the inputs.</param>
/// <param name="Wall">From starting <c>imred night</c> to its exit.</param>
/// <param name="ExposureActivities">Activities the night's exposures needed: one each when whole, Plan + MapTiles + Reduce when tiled.</param>
/// <param name="ExposureInstances">Exposure instances the report names.</param>
/// <param name="ExposureInstancesInHub">Of those, how many the task hub still has after the night.</param>
/// <param name="NightInstanceInHub">The night's own instance is still in the task hub after the night.</param>
/// <param name="WorkerCpu">CPU time of each <c>imred worker</c> process while it ran.</param>
/// <param name="HubRows">Rows left in the task hub's History and Instances tables after the night.</param>
/// <param name="WorkItems">Orchestration episodes and activities the workers executed (every one of the night, redeliveries included), when counted.</param>
public sealed record ProviderNightResult(int ExitCode, string NightOutput, string NightLog, NightSummary? Summary, int ReportLines, int ReportInputs,
    int Outputs, IReadOnlyList<string> Rewritten, int LargeMessages, (int Rows, string Where) LongestHistory, (int Bytes, string Where) LargestPayload,
    TimeSpan Upload, TimeSpan Wall, int ExposureActivities, int ExposureInstances = 0, int ExposureInstancesInHub = 0, bool NightInstanceInHub = false,
    IReadOnlyList<TimeSpan>? WorkerCpu = null, (int History, int Instances) HubRows = default, (int Episodes, int Activities)? WorkItems = null)
{
    /// <summary>Exposure activities per wall-clock second.</summary>
    public double ActivitiesPerSecond => ExposureActivities / Wall.TotalSeconds;
}

/// <summary>
/// A night on the Durable Task storage provider with every part a real process: Azurite (blob, queue and table services),
/// <see cref="ProviderNightOptions.Workers"/> <c>imred worker</c> processes, and <c>imred night … --connection … --wait</c>.
/// While the night runs the outputs are listed every <see cref="ProviderNightOptions.WatchInterval"/> and each output's first
/// ETag kept, so an output written twice shows; afterwards the report, the summary, the large-message container and the task
/// hub's history are read (paged, with a long network timeout: a large hub on an emulator answers slowly, not never).
/// Used by the CI test (a small night) and <c>bench night-provider</c> (2,000 exposures).
/// </summary>
public static class ProviderNightRun
{
    /// <summary>The configuration of every exposure.</summary>
    public const string ConfigJson = """{ "cellSizeX": 8, "cellSizeY": 6, "gridStepX": 7, "gridStepY": 5, "borderSizeX": 3, "borderSizeY": 2, "adjustGridOption": "none", "mapper": { "name": "add", "addAmount": 2.5 }, "reducer": { "reduceOperation": "average" } }""";


    // The reads after the night may each scan a large table on an emulator: wait for them rather than give up at the SDK's 100 s.
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Runs one night on the storage account of <paramref name="connection"/> (blob, queue and table services) with the CLI at <paramref name="imredDll"/>.</summary>
    public static async Task<ProviderNightResult> RunAsync(string connection, string imredDll, ProviderNightOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(connection);
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(imredDll)) throw new FileNotFoundException($"the CLI is not built at {imredDll}", imredDll);
        var store = new AzureBlobStore(connection, new AzureBlobStoreOptions { NetworkTimeout = ReadTimeout });
        string outputPrefix = options.Root + "-out/";
        string hub = "PNight" + Guid.NewGuid().ToString("N")[..12];
        string config = Path.Combine(Path.GetTempPath(), $"imred-pnight-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(config, ConfigJson, cancellationToken).ConfigureAwait(false);
        var workers = new List<CliProcess>();
        try
        {
            var upload = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, options.Exposures), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
                async (i, _) => await TestInputs.UploadAsync(store, new BlobPath("incoming", options.NameOf(i)),
                    TestInputs.ExposureFits(options.Size.Width, options.Size.Height, seed: 10_000 + i)).ConfigureAwait(false)).ConfigureAwait(false);
            upload.Stop();

            string[] maxActivities = options.WorkerMaxActivities is int max ? ["--max-activities", max.ToString(System.Globalization.CultureInfo.InvariantCulture)] : [];
            var workerEnvironment = new Dictionary<string, string>();
            if (options.CountWorkItems) workerEnvironment["Logging__LogLevel__DurableTask.Core"] = "Information";
            for (int w = 0; w < options.Workers; w++)
            {
                workers.Add(CliProcess.Start(imredDll, workerEnvironment, ["worker", "--connection", connection, "--task-hub", hub, "--worker-id", $"pnight-{w}",
                    "--polling-interval", Duration(options.WorkerPollingInterval), .. maxActivities]));
            }
            foreach (CliProcess worker in workers)
                await worker.WaitForStderrAsync("imred worker: serving task hub", TimeSpan.FromMinutes(2)).ConfigureAwait(false);

            var firstETags = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
            var rewritten = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
            using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task watcher = WatchOutputsAsync(store, outputPrefix, options.WatchInterval, firstETags, rewritten, watching.Token);

            var clock = Stopwatch.StartNew();
            string[] nightArgs = ["night", options.Root + "/", "--container", "incoming", "--output-container", "outputs",
                "--output-prefix", outputPrefix, "--config", config, "--tile-size", options.TileSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--max-concurrent", options.MaxConcurrentExposures.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--wait", "--json", "--connection", connection, "--task-hub", hub, "--poll-interval", Duration(options.NightPollInterval),
                "--timeout", $"{(int)options.Timeout.TotalMinutes}m", .. (options.KeepInstances ? ["--keep-instances"] : Array.Empty<string>()),
                .. (options.Flow is { } flow ? ["--flow", flow] : Array.Empty<string>())];
            using CliProcess night = CliProcess.Start(imredDll, nightArgs);
            int exit = await night.WaitForExitAsync(options.Timeout + TimeSpan.FromMinutes(1)).ConfigureAwait(false);
            clock.Stop();
            TimeSpan[] workerCpu = [.. workers.Select(w => w.CpuTime)];
            (int Episodes, int Activities)? workItems = options.CountWorkItems
                ? (workers.Sum(w => Occurrences(w.Stderr, "' orchestration logic")), workers.Sum(w => Occurrences(w.Stderr, ": Starting task activity ")))
                : null;
            await watching.CancelAsync().ConfigureAwait(false);
            await watcher.ConfigureAwait(false);
            await ListOutputsAsync(store, outputPrefix, firstETags, rewritten, cancellationToken).ConfigureAwait(false); // the last word

            NightSummary? summary = null;
            int lines = 0, inputs = 0, exposureInstances = 0, exposureInstancesInHub = 0;
            bool nightInstanceInHub = false;
            var summaryPath = new BlobPath("outputs", outputPrefix + "night-summary.json");
            if (await store.ExistsAsync(summaryPath, cancellationToken).ConfigureAwait(false))
            {
                summary = WorkflowJson.Deserialize<NightSummary>(await TestInputs.DownloadAsync(store, summaryPath).ConfigureAwait(false));
                string report = Encoding.UTF8.GetString(await TestInputs.DownloadAsync(store, summary.Report).ConfigureAwait(false));
                string[] reportLines = report.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                lines = reportLines.Length;
                NightReportEntry[] entries = [.. reportLines.Select(l => JsonSerializer.Deserialize<NightReportEntry>(l, WorkflowJson.CompactOptions)!)];
                inputs = entries.Select(e => e.Input.Name).Distinct(StringComparer.Ordinal).Count();
                // What the task hub itself still holds: the purge's effect, read from the instance store rather than trusted from a log.
                var hubClient = new StorageProviderClient(new TaskHubSettings(connection, hub));
                string[] ids = [.. entries.Select(e => e.InstanceId).OfType<string>().Distinct(StringComparer.Ordinal)];
                exposureInstances = ids.Length;
                foreach (string id in ids)
                    if (await hubClient.GetAsync(id, cancellationToken).ConfigureAwait(false) is not null) exposureInstancesInHub++;
                nightInstanceInHub = summary.InstanceId is { } nightId && await hubClient.GetAsync(nightId, cancellationToken).ConfigureAwait(false) is not null;
            }
            int largeMessages = 0;
            await foreach (BlobInfo _ in store.ListAsync(hub.ToLowerInvariant() + "-largemessages", "", cancellationToken).ConfigureAwait(false)) largeMessages++;
            var (history, payload, hubRows) = await ReadTaskHubAsync(connection, hub, cancellationToken).ConfigureAwait(false);
            int outputs = firstETags.Keys.Count(k => k.EndsWith(".fits", StringComparison.Ordinal));
            return new ProviderNightResult(exit, night.Stdout, night.Stderr, summary, lines, inputs, outputs, [.. rewritten.Keys.Order(StringComparer.Ordinal)],
                largeMessages, history, payload, upload.Elapsed, clock.Elapsed, options.Exposures * options.ActivitiesPerExposure,
                exposureInstances, exposureInstancesInHub, nightInstanceInHub, workerCpu, hubRows, workItems);
        }
        finally
        {
            foreach (CliProcess worker in workers) worker.Dispose();
            File.Delete(config);
        }
    }

    private static string Duration(TimeSpan span) => $"{(long)span.TotalMilliseconds}ms";

    private static int Occurrences(string text, string marker)
    {
        int count = 0;
        for (int at = text.IndexOf(marker, StringComparison.Ordinal); at >= 0; at = text.IndexOf(marker, at + marker.Length, StringComparison.Ordinal)) count++;
        return count;
    }

    private static async Task WatchOutputsAsync(IBlobStore store, string outputPrefix, TimeSpan interval, ConcurrentDictionary<string, string> first,
        ConcurrentDictionary<string, bool> rewritten, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await ListOutputsAsync(store, outputPrefix, first, rewritten, cancellationToken).ConfigureAwait(false);
                await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the night ended
        }
    }

    private static async Task ListOutputsAsync(IBlobStore store, string outputPrefix, ConcurrentDictionary<string, string> first, ConcurrentDictionary<string, bool> rewritten,
        CancellationToken cancellationToken)
    {
        await foreach (BlobInfo blob in store.ListAsync("outputs", outputPrefix, cancellationToken).ConfigureAwait(false))
        {
            // Exposure outputs and their metadata; the night's own report and summary are written once at its end anyway.
            if (blob.Path.Name.Contains("/night.work/", StringComparison.Ordinal)) continue;
            string etag = first.GetOrAdd(blob.Path.Name, blob.ETag);
            if (etag != blob.ETag) rewritten[blob.Path.Name] = true;
        }
    }

    /// <summary>The most rows one execution's history holds, the largest string the history and instance tables hold, and how many rows each has.</summary>
    private static async Task<((int, string) History, (int, string) Payload, (int, int) Rows)> ReadTaskHubAsync(string connection, string hub, CancellationToken cancellationToken)
    {
        var tableOptions = new TableClientOptions();
        tableOptions.Retry.NetworkTimeout = ReadTimeout;
        int historyRows = 0, instanceRows = 0;
        var rows = new Dictionary<(string, string), int>();
        (int Bytes, string Where) payload = (0, "");
        void Measure(TableEntity row, string table)
        {
            foreach (var (key, value) in row)
            {
                if (value is not string text || key is "PartitionKey" or "RowKey" or "odata.etag") continue;
                int bytes = Encoding.UTF8.GetByteCount(text);
                if (bytes > payload.Bytes) payload = (bytes, $"{table} {row.PartitionKey} {key}");
            }
        }
        await foreach (TableEntity row in new TableClient(connection, hub + "History", tableOptions).QueryAsync<TableEntity>(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            historyRows++;
            if (row.RowKey == "sentinel") continue;
            var key = (row.PartitionKey, row.GetString("ExecutionId") ?? "");
            rows[key] = rows.GetValueOrDefault(key) + 1;
            Measure(row, "History");
        }
        await foreach (TableEntity row in new TableClient(connection, hub + "Instances", tableOptions).QueryAsync<TableEntity>(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            instanceRows++;
            Measure(row, "Instances");
        }
        var longest = rows.Count == 0 ? default : rows.MaxBy(p => p.Value);
        return ((longest.Value, longest.Key.Item1 ?? ""), payload, (historyRows, instanceRows));
    }
}
