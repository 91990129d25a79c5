using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ImageReducer.Engine.Config;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Durable.Hosting;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using ImageReducer.Workflow.Tests.Azurite;
using Microsoft.DurableTask;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ImageReducer.Bench;

/// <summary>
/// The Durable workflow on the Azure Storage provider (the backend of Durable Functions), one in-process
/// <see cref="StorageProviderWorker"/> on Azurite (blob + queue + table): event-to-output latency of a whole exposure
/// (start scheduled → output blob committed, and → orchestration completed), no-op activities per second, and the
/// storage requests Azurite serves meanwhile (counted by a relay in front of each service) and idle.
/// </summary>
/// <remarks>
/// Usage: <c>taskhub [SIZE] [--runs N] [--activities N] [--polling MS] [--idle S]</c>; defaults 4096, 20 runs, 1,000 no-op
/// activities (10 orchestrations × 100), 1000 ms longest queue polling interval, 60 s of idling counted. One warm-up reduction first (JIT,
/// connections, leases). Same grid and mapper as the workflow suite (cell 41 / step 40 / border 8, add → average),
/// 1024-row tiles. Azurite keeps its data in files on /dev/shm when there is one.
/// </remarks>
internal sealed class TaskHubSuite : IBenchmarkSuite
{
    public string Name => "taskhub";
    public string Description => "Durable storage provider on Azurite: exposure latency p50/p99, no-op activities/s, storage requests/s (busy and idle)";

    private static string ConfigJson => """{ "cellSizeX": 41, "cellSizeY": 41, "gridStepX": 40, "gridStepY": 40, "borderSizeX": 8, "borderSizeY": 8, "adjustGridOption": "none", "scaleByFwhm": false, "mapper": { "name": "add", "addAmount": 1 }, "reducer": { "reduceOperation": "average" } }""";

    public int Run(string[] args)
    {
        int size = 4096, runs = 20, activities = 1000, pollingMs = 1000, idleSeconds = 60;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--activities": activities = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--polling": pollingMs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--idle": idleSeconds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default:
                    if (!int.TryParse(args[i], NumberStyles.None, CultureInfo.InvariantCulture, out size) || size <= 0)
                    {
                        Console.Error.WriteLine($"taskhub: error: unknown argument '{args[i]}' (expected SIZE, --runs N, --activities N, --polling MS, --idle S)");
                        return 2;
                    }
                    break;
            }
        }
        return RunAsync(size, Math.Max(1, runs), Math.Max(100, activities), pollingMs, Math.Max(5, idleSeconds)).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(int size, int runs, int activities, int pollingMs, int idleSeconds)
    {
        Console.WriteLine($"taskhub: {size}×{size}, add → average, 1024-row tiles; {runs} runs; {activities} no-op activities; longest polling {pollingMs} ms; " +
                          $"{Environment.ProcessorCount} cores; .NET {Environment.Version}");
        Console.WriteLine($"load average at start: {Machine.Load()}");
        bool shm = OperatingSystem.IsLinux() && Directory.Exists("/dev/shm");
        await using AzuriteServer azurite = await AzuriteServer.StartAllServicesAsync(persistent: shm, dataRoot: shm ? "/dev/shm" : null);
        await using var blob = new CountingRelay(azurite.BlobPort, "blob");
        await using var queue = new CountingRelay(azurite.QueuePort, "queue");
        await using var table = new CountingRelay(azurite.TablePort, "table");
        string connection = $"DefaultEndpointsProtocol=http;AccountName={AzuriteServer.AccountName};AccountKey={AzuriteServer.AccountKey};" +
                            $"BlobEndpoint=http://127.0.0.1:{blob.Port}/{AzuriteServer.AccountName};QueueEndpoint=http://127.0.0.1:{queue.Port}/{AzuriteServer.AccountName};" +
                            $"TableEndpoint=http://127.0.0.1:{table.Port}/{AzuriteServer.AccountName};";
        long Requests() => blob.Requests + queue.Requests + table.Requests;
        Dictionary<string, long> Kinds() => blob.Kinds.Concat(queue.Kinds).Concat(table.Kinds).ToDictionary(k => k.Key, k => k.Value);
        double AzuriteCpu() => ProcessCpuSeconds(azurite.ProcessId);

        var store = new AzureBlobStore(connection);
        string dir = Directory.CreateTempSubdirectory("imred-taskhub-bench-").FullName;
        try
        {
            string file = Path.Combine(dir, "input.fits"), warm = Path.Combine(dir, "warm.fits");
            WorkflowSuite.WriteInput(size, file);
            WorkflowSuite.WriteInput(256, warm);
            var input = new BlobPath("bench", "input.fits");
            var warmInput = new BlobPath("bench", "warm.fits");
            await using (FileStream f = File.OpenRead(file)) await store.WriteAsync(input, f, overwrite: true);
            await using (FileStream f = File.OpenRead(warm)) await store.WriteAsync(warmInput, f, overwrite: true);

            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ImageReducer:CellParallelism"] = "-1" }).Build();
            await using ServiceProvider services = new ServiceCollection().AddLogging().AddImageReducerActivities(configuration, store).BuildServiceProvider();
            var registry = new DurableTaskRegistry()
                .AddImageReducerWorkflow(sp => sp.GetRequiredService<ReductionActivities>())
                .AddActivityFunc<int, int>("BenchNoOp", (TaskActivityContext _, int x) => Task.FromResult(x))
                .AddOrchestratorFunc<int, int>("BenchFanOut", async (context, n) =>
                    (await Task.WhenAll(Enumerable.Range(0, n).Select(i => context.CallActivityAsync<int>("BenchNoOp", i)))).Length);
            var hub = new TaskHubSettings(connection, "BenchHub") { MaxQueuePollingInterval = TimeSpan.FromMilliseconds(pollingMs) };
            await using var worker = new StorageProviderWorker(hub, registry, services);
            await worker.StartAsync();
            var client = new StorageProviderClient(hub);

            // Warm-up: one small reduction end to end (JIT, connections, partition leases settle).
            await ReduceAsync(client, store, warmInput, new BlobPath("bench", "warm-out.fits"), "warm", 64);

            // 1. Event-to-output latency of a whole exposure.
            var committed = new List<double>();
            var completed = new List<double>();
            long requestsBefore = Requests();
            double cpuBefore = AzuriteCpu();
            var busy = Stopwatch.StartNew();
            for (int r = 0; r < runs; r++)
            {
                var (toOutput, toCompleted) = await ReduceAsync(client, store, input, new BlobPath("bench", $"out-{r:D3}.fits"), $"latency-{r:D3}", 1024);
                committed.Add(toOutput);
                completed.Add(toCompleted);
            }
            double busySeconds = busy.Elapsed.TotalSeconds;
            long reductionRequests = Requests() - requestsBefore;
            double reductionCpu = AzuriteCpu() - cpuBefore;
            string loadAfterLatency = Machine.Load();

            // 2. No-op activities: fan-outs of 100, all at once.
            int orchestrations = activities / 100;
            FanOut plain = await FanOutAsync(client, orchestrations, "fan", Requests, Kinds, AzuriteCpu);

            // 3. Idle: nothing scheduled; the worker polls its queues and renews its leases.
            await Task.Delay(TimeSpan.FromSeconds(10));
            requestsBefore = Requests();
            long queueBefore = queue.Requests, tableBefore = table.Requests, blobBefore = blob.Requests;
            var idle = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(idleSeconds));
            double idleElapsed = idle.Elapsed.TotalSeconds;
            long idleRequests = Requests() - requestsBefore;
            (long idleQueue, long idleTable, long idleBlob) = (queue.Requests - queueBefore, table.Requests - tableBefore, blob.Requests - blobBefore);

            // 4. The same fan-out on a worker with extended sessions (a fresh hub, the first worker stopped): an orchestration
            //    stays in memory between episodes, so an episode no longer reloads (and replays) its history from the table.
            await worker.StopAsync();
            var hubX = new TaskHubSettings(connection, "BenchHubX") { MaxQueuePollingInterval = TimeSpan.FromMilliseconds(pollingMs), ExtendedSessions = true };
            FanOut extended;
            await using (var workerX = new StorageProviderWorker(hubX, registry, services))
            {
                await workerX.StartAsync();
                var clientX = new StorageProviderClient(hubX);
                await FanOutAsync(clientX, 1, "warm-x", Requests, Kinds, AzuriteCpu);
                extended = await FanOutAsync(clientX, orchestrations, "fan-x", Requests, Kinds, AzuriteCpu);
            }

            // 5. What Azurite itself serves at most here: queue messages put, got and deleted by 16 callers at once, through
            //    the same counting relay (the cheapest requests the provider makes).
            var (ceilingSeconds, ceilingRequests, ceilingCpu) = await QueueCeilingAsync(connection, TimeSpan.FromSeconds(10), Requests, AzuriteCpu);

            committed.Sort();
            completed.Sort();
            Console.WriteLine();
            Console.WriteLine($"| {size}² exposure, {runs} runs, one worker | p50 | p99 | min | max |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            Console.WriteLine($"| start scheduled → output committed (s) | {Pct(committed, 50):F2} | {Pct(committed, 99):F2} | {committed[0]:F2} | {committed[^1]:F2} |");
            Console.WriteLine($"| start scheduled → orchestration completed (s) | {Pct(completed, 50):F2} | {Pct(completed, 99):F2} | {completed[0]:F2} | {completed[^1]:F2} |");
            Console.WriteLine();
            Console.WriteLine("| what | seconds | work/s | storage requests | requests/s | Azurite CPU s |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            Console.WriteLine($"| {runs} reductions of {size}² (in turn) | {busySeconds:F1} | {runs / busySeconds:F2} exposures/s | {reductionRequests} | {reductionRequests / busySeconds:F0} | {reductionCpu:F1} |");
            Console.WriteLine($"| {activities} no-op activities ({orchestrations} × 100, at once) | {plain.Seconds:F1} | {activities / plain.Seconds:F0} activities/s | {plain.Requests} | {plain.Requests / plain.Seconds:F0} | {plain.AzuriteCpu:F1} |");
            Console.WriteLine($"| the same, extended sessions | {extended.Seconds:F1} | {activities / extended.Seconds:F0} activities/s | {extended.Requests} | {extended.Requests / extended.Seconds:F0} | {extended.AzuriteCpu:F1} |");
            Console.WriteLine($"| Azurite's ceiling: queue put + get + delete, 16 callers | {ceilingSeconds:F1} | – | {ceilingRequests} | {ceilingRequests / ceilingSeconds:F0} | {ceilingCpu:F1} |");
            Console.WriteLine($"| idle, {hub.PartitionCount} partitions, polling ≤ {pollingMs} ms | {idleElapsed:F0} | – | {idleRequests} (queue {idleQueue}, table {idleTable}, blob {idleBlob}) | {idleRequests / idleElapsed:F2} | – |");
            Console.WriteLine();
            Console.WriteLine($"| requests per no-op activity, by kind | default | extended sessions |");
            Console.WriteLine("|---|---:|---:|");
            foreach (string kind in plain.Kinds.Keys.Union(extended.Kinds.Keys).OrderByDescending(k => plain.Kinds.GetValueOrDefault(k)))
                Console.WriteLine($"| {kind} | {plain.Kinds.GetValueOrDefault(kind) / (double)activities:F2} | {extended.Kinds.GetValueOrDefault(kind) / (double)activities:F2} |");
            Console.WriteLine($"| all | {plain.Requests / (double)activities:F2} | {extended.Requests / (double)activities:F2} |");
            Console.WriteLine($"| worker process CPU s (this process, relay included) | {plain.WorkerCpu:F1} | {extended.WorkerCpu:F1} |");
            Console.WriteLine();
            Console.WriteLine($"load average after the latency runs: {loadAfterLatency}; at the end: {Machine.Load()}");
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>What a fan-out phase cost: wall seconds, storage requests (all, and by kind), Azurite's and this process's CPU seconds.</summary>
    private sealed record FanOut(double Seconds, long Requests, Dictionary<string, long> Kinds, double AzuriteCpu, double WorkerCpu);

    /// <summary><paramref name="orchestrations"/> fan-outs of 100 no-op activities, all scheduled at once, awaited to completion.</summary>
    private static async Task<FanOut> FanOutAsync(StorageProviderClient client, int orchestrations, string prefix, Func<long> requests,
        Func<Dictionary<string, long>> kinds, Func<double> azuriteCpu)
    {
        long requestsBefore = requests();
        Dictionary<string, long> kindsBefore = kinds();
        double cpuBefore = azuriteCpu();
        TimeSpan workerBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var ids = new List<string>();
        for (int o = 0; o < orchestrations; o++)
        {
            string id = $"{prefix}-{o:D3}";
            await client.ScheduleAsync("BenchFanOut", 100, id);
            ids.Add(id);
        }
        foreach (string id in ids)
        {
            InstanceStatus s = await client.WaitAsync(id, TimeSpan.FromMilliseconds(100));
            if (s.RuntimeStatus != "Completed") throw new InvalidOperationException($"{id} {s.RuntimeStatus}: {s.FailureMessage}");
        }
        double seconds = clock.Elapsed.TotalSeconds;
        Dictionary<string, long> after = kinds();
        return new FanOut(seconds, requests() - requestsBefore,
            after.ToDictionary(k => k.Key, k => k.Value - kindsBefore.GetValueOrDefault(k.Key)),
            azuriteCpu() - cpuBefore, (Process.GetCurrentProcess().TotalProcessorTime - workerBefore).TotalSeconds);
    }

    /// <summary>Queue messages put, got and deleted as fast as 16 callers can for <paramref name="duration"/>: Azurite's request ceiling here.</summary>
    private static async Task<(double Seconds, long Requests, double AzuriteCpu)> QueueCeilingAsync(string connection, TimeSpan duration,
        Func<long> requests, Func<double> azuriteCpu)
    {
        var queue = new Azure.Storage.Queues.QueueClient(connection, "bench-ceiling");
        await queue.CreateIfNotExistsAsync();
        long requestsBefore = requests();
        double cpuBefore = azuriteCpu();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async caller =>
        {
            while (clock.Elapsed < duration)
            {
                await queue.SendMessageAsync($"m{caller}");
                var got = await queue.ReceiveMessageAsync();
                if (got.Value is { } message) await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }));
        return (clock.Elapsed.TotalSeconds, requests() - requestsBefore, azuriteCpu() - cpuBefore);
    }

    /// <summary>One reduction: seconds from scheduling to the output blob's existence, and to the orchestration's completion.</summary>
    private static async Task<(double Output, double Completed)> ReduceAsync(StorageProviderClient client, IBlobStore store, BlobPath input, BlobPath output, string id, int tile)
    {
        var clock = Stopwatch.StartNew();
        await client.ScheduleAsync(WorkflowNames.ReduceExposure, new ReductionRequest(input, output, Engine.Config.ConfigJson.Deserialize(ConfigJson), tile), id);
        while (!await store.ExistsAsync(output)) await Task.Delay(20);
        double toOutput = clock.Elapsed.TotalSeconds;
        InstanceStatus done = await client.WaitAsync(id, TimeSpan.FromMilliseconds(20));
        if (done.RuntimeStatus != "Completed") throw new InvalidOperationException($"{id} {done.RuntimeStatus}: {done.FailureMessage}");
        return (toOutput, clock.Elapsed.TotalSeconds);
    }

    private static double Pct(List<double> sorted, int p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static double ProcessCpuSeconds(int? pid)
    {
        // utime + stime of the process and its waited-for children, in clock ticks (100 per second on Linux).
        if (pid is null || !File.Exists($"/proc/{pid}/stat")) return double.NaN;
        string[] f = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Trim().Split(' ');
        return (long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>A loopback relay that counts the HTTP requests passing through it (request lines ending in HTTP/1.1).</summary>
    private sealed class CountingRelay : IAsyncDisposable
    {
        private static readonly byte[] Marker = Encoding.ASCII.GetBytes(" HTTP/1.1\r\n");
        private readonly int target;
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource stop = new();
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> kinds = new();
        private readonly string service;
        private long requests;

        public CountingRelay(int targetPort, string service)
        {
            target = targetPort;
            this.service = service;
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
            _ = AcceptAsync();
        }

        public int Port { get; }
        public long Requests => Interlocked.Read(ref requests);

        /// <summary>Requests so far by kind (<see cref="Kind"/>): what the provider spends its requests on.</summary>
        public IReadOnlyDictionary<string, long> Kinds => new Dictionary<string, long>(kinds);

        /// <summary>
        /// "METHOD what" of a request line: queue messages (put, get a batch, delete one, update one), table queries, batches
        /// and single-entity writes, blob leases and other blob calls, so a phase's requests can be split by what they do.
        /// </summary>
        private string Kind(ReadOnlySpan<byte> line)
        {
            string text = Encoding.ASCII.GetString(line);
            int space = text.IndexOf(' ', StringComparison.Ordinal);
            string method = space < 0 ? text : text[..space];
            // A request line cut by a read boundary (its start in the previous chunk) is counted, not classified.
            if (method is not ("GET" or "PUT" or "POST" or "DELETE" or "PATCH" or "MERGE" or "HEAD")) return $"{service} (line split across reads)";
            string target = space < 0 ? "" : text[(space + 1)..];
            string path = target.Split('?')[0];
            string what = service switch
            {
                "queue" when path.Contains("/messages/", StringComparison.Ordinal) => "message (one)",
                "queue" when path.EndsWith("/messages", StringComparison.Ordinal) => method == "GET" ? "messages (batch get)" : "message (put)",
                "queue" => "queue",
                "table" when path.Contains("$batch", StringComparison.Ordinal) => "batch",
                "table" when method == "GET" => "query",
                "table" => "entity",
                _ when target.Contains("comp=lease", StringComparison.Ordinal) => "lease",
                _ => "blob",
            };
            return $"{service} {method} {what}";
        }

        private async Task AcceptAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    TcpClient c = await listener.AcceptTcpClientAsync(stop.Token);
                    _ = RelayAsync(c);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }
            }
        }

        private async Task RelayAsync(TcpClient incoming)
        {
            using var outgoing = new TcpClient();
            using (incoming)
            {
                try
                {
                    await outgoing.ConnectAsync(IPAddress.Loopback, target, stop.Token);
                    NetworkStream a = incoming.GetStream(), b = outgoing.GetStream();
                    Task back = b.CopyToAsync(a, stop.Token);
                    var buffer = new byte[81920];
                    int n;
                    while ((n = await a.ReadAsync(buffer, stop.Token)) > 0)
                    {
                        // A request line is short and starts a request; counting the marker in the first 4 KiB of a chunk
                        // skips scanning bodies (blocks of pixels), which never start a chunk with a request line.
                        ReadOnlySpan<byte> head = buffer.AsSpan(0, Math.Min(n, 4096));
                        for (int at = head.IndexOf(Marker); at >= 0; at = head.IndexOf(Marker))
                        {
                            Interlocked.Increment(ref requests);
                            int lineStart = head[..at].LastIndexOf((byte)'\n') + 1;
                            kinds.AddOrUpdate(Kind(head[lineStart..at]), 1, (_, c) => c + 1);
                            head = head[(at + Marker.Length)..];
                        }
                        await b.WriteAsync(buffer.AsMemory(0, n), stop.Token);
                    }
                    await back;
                }
                catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
                {
                    // The end of a connection or of the run.
                }
            }
        }

        public ValueTask DisposeAsync()
        {
            stop.Cancel();
            listener.Stop();
            return ValueTask.CompletedTask;
        }
    }
}
