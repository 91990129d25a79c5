using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ImageReducer.Workflow.Configuration;
using ImageReducer.Workflow.Durable;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using ImageReducer.Workflow.Tests.Azurite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ImageReducer.Bench;

/// <summary>
/// What one whole exposure costs a worker when it is reduced in one activity (<c>ReduceExposureWhole</c>, the night's
/// default flow) beside the same exposure through the tiled flow's activities (Plan → MapTile × tiles → Reduce), run one
/// after another in the same worker: wall time, CPU seconds and peak memory growth — the night model's per-exposure inputs.
/// </summary>
/// <remarks>
/// <para>Usage: <c>whole [SIZE] [--tile ROWS] [--runs N] [--stores memory,azurite]</c>; defaults 4096, 1024-row tiles,
/// 3 measured runs per side and store. The exposure and configuration are <c>maptile</c>'s (uniform noise, Gaussian PSF,
/// <c>add</c> → <c>average</c>, cells 41 / step 40 / border 8 px).</para>
/// <para>Both sides do the same work: read the input blob, map and reduce every cell, commit the output and its metadata
/// (to a fresh output each run). Whole: the activity body <see cref="ReductionActivities.ReduceWholeAsync"/> (SHA-256 from
/// memory). Tiled: the same bodies the Durable activities call, in this process one tile at a time
/// (<see cref="TiledReduction"/> with one tile in flight), so its CPU seconds are the sum of its activities' (plan, every
/// tile, reduce with its output read-back for the SHA-256) — what a night pays in instance-seconds, without the
/// orchestration's dispatch. The sides alternate (whole, tiled, whole, …) after one cold run of each; medians.</para>
/// <para>Each store gets its own worker process. Before each run the worker collects garbage and resets its peak resident set
/// (Linux <c>clear_refs</c>), so a peak is that run's. Azurite's own CPU (a Node.js process here, the storage service on
/// Azure) is not counted.</para>
/// </remarks>
internal sealed class WholeExposureSuite : IBenchmarkSuite
{
    public string Name => "whole";
    public string Description => "one whole exposure in one activity vs the tiled flow's activities: wall, CPU seconds, peak memory, in memory vs from Azurite";

    public int Run(string[] args)
    {
        if (args.Length > 0 && args[0] == "--child")
            return Child(args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture), int.Parse(args[4], CultureInfo.InvariantCulture));
        if (ActivityBench.Parse(Name, args, defaultRuns: 3) is not { } a) return 2;
        return RunAsync(a.Size, a.TileRows, a.Runs, a.Stores).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(int size, int tileRows, int runs, string[] stores)
    {
        Console.WriteLine($"whole: {size}×{size} exposure, whole activity vs tiled flow ({tileRows}-row tiles, one at a time), add → average, cell 41 / step 40 / border 8 px; " +
                          $"{Environment.ProcessorCount} cores (the engine uses all); .NET {Environment.Version}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; load {Machine.Load()}");
        var rows = await ActivityBench.ForEachStoreAsync("whole", size, stores, (kind, location, _, _) =>
        {
            Console.WriteLine($"{kind}: load before {Machine.Load()}");
            return Task.FromResult((Store: kind, M: RunChild(kind, location, tileRows, runs)));
        });
        Print(rows, size, tileRows, runs);
        Console.WriteLine($"load at end: {Machine.Load()}");
        return 0;
    }

    private static void Print(List<(string Store, Dictionary<string, JsonElement> M)> rows, int size, int tileRows, int runs)
    {
        double pixelsMib = (double)size * size * 12 / (1 << 20);
        Console.WriteLine();
        Console.WriteLine($"One {size}² exposure (its pixels {pixelsMib:F0} MiB): cold = first run of its side in a fresh worker; warm = median of {runs} runs (range), " +
                          "the sides alternating in the same worker.");
        Console.WriteLine();
        Console.WriteLine("| input | flow | activities | run | wall s | CPU s (user+sys) | peak growth over the idle worker MiB (× exposure pixels) | bytes per pixel |");
        Console.WriteLine("|---|---|---:|---|---:|---:|---:|---:|");
        foreach (var (store, m) in rows)
        {
            string name = store == "memory" ? "in memory (tmpfs folder store)" : "Azurite (HTTP, tmpfs)";
            foreach (string side in (string[])["whole", "tiled"])
            {
                var cold = m[side + "Cold"];
                double coldGrowth = cold.GetProperty("peakRss").GetDouble() - cold.GetProperty("baseRss").GetDouble();
                string flow = side == "whole" ? "whole (ReduceExposureWhole)" : $"tiled (Plan, MapTile × {cold.GetProperty("tiles").GetDouble():F0}, Reduce)";
                string activities = side == "whole" ? "1" : (cold.GetProperty("tiles").GetDouble() + 2).ToString("F0", CultureInfo.InvariantCulture);
                Console.WriteLine($"| {name} | {flow} | {activities} | cold | {ActivityBench.F2(cold, "wall")} | {ActivityBench.F2(cold, "cpu")} | {coldGrowth:F0} | {coldGrowth * (1 << 20) / ((double)size * size):F1} |");
                var warm = m[side].EnumerateArray().ToArray();
                string Med(string key) => Stats.Median(warm.Select(w => w.GetProperty(key).GetDouble())).ToString("F2", CultureInfo.InvariantCulture);
                string Range(string key) => $"{warm.Min(w => w.GetProperty(key).GetDouble()).ToString("F2", CultureInfo.InvariantCulture)}–{warm.Max(w => w.GetProperty(key).GetDouble()).ToString("F2", CultureInfo.InvariantCulture)}";
                double growth = Stats.Median(warm.Select(w => w.GetProperty("peakRss").GetDouble() - w.GetProperty("baseRss").GetDouble()));
                Console.WriteLine($"| {name} | {flow} | {activities} | warm | {Med("wall")} ({Range("wall")}) | {Med("cpu")} ({Range("cpu")}) | " +
                                  $"{growth:F0} ({growth / pixelsMib:F2}×) | {growth * (1 << 20) / ((double)size * size):F1} |");
            }
        }
        Console.WriteLine();
        Console.WriteLine("CPU s: the worker process's user + system time during the run (all its threads). Peak: VmHWM minus VmRSS just before the run, " +
                          $"after a full collection and a reset of VmHWM. Bytes per pixel: the peak growth over the exposure's pixel count (the policy assumes {ExposureFlowPolicy.BytesPerPixel}).");
    }

    private static Dictionary<string, JsonElement> RunChild(string kind, string location, int tileRows, int runs) =>
        ActivityBench.RunChild("whole", kind, location, tileRows.ToString(CultureInfo.InvariantCulture), runs.ToString(CultureInfo.InvariantCulture));

    /// <summary>The worker: one cold run of each side, then <paramref name="runs"/> of each, alternating, each measured alone.</summary>
    private static int Child(string kind, string location, int tileRows, int runs)
    {
        IBlobStore store = kind == "memory" ? new LocalFolderBlobStore(location) : new AzureBlobStore(location);
        var services = ReductionServices.Create(store);
        var activities = new ReductionActivities(services, Options.Create(new ImageReducerOptions()), NullLogger<ReductionActivities>.Instance);
        var tiled = new TiledReduction(services);
        var input = new BlobPath("bench", "input.fits");
        int run = 0;
        Dictionary<string, double> Measure(bool whole)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            Machine.ResetPeakRss();
            var request = new ReductionRequest(input, new BlobPath("bench", $"out/{run++}.fits"), Engine.Config.ConfigJson.Deserialize(ActivityBench.ConfigJson), tileRows)
            {
                InstanceId = "bench-" + run, Flow = whole ? ExposureFlow.Whole : ExposureFlow.Tiled,
            };
            double baseRss = Machine.StatusMib("VmRSS");
            TimeSpan cpu = Machine.ProcessCpu();
            var clock = Stopwatch.StartNew();
            ReductionSummary summary = whole
                ? activities.ReduceWholeAsync(new WholeExposureTask(request)).GetAwaiter().GetResult().Summary!
                : tiled.RunAsync(request, maxConcurrentTiles: 1).GetAwaiter().GetResult();
            double wall = clock.Elapsed.TotalSeconds;
            double cpuSeconds = (Machine.ProcessCpu() - cpu).TotalSeconds;
            if (summary.Status != ReductionStatus.Succeeded) throw new InvalidOperationException($"the run failed: {summary.Error}");
            double peak = Machine.StatusMib("VmHWM");
            store.DeleteAsync(summary.Output!).GetAwaiter().GetResult();
            return new() { ["wall"] = wall, ["cpu"] = cpuSeconds, ["baseRss"] = baseRss, ["peakRss"] = peak, ["tiles"] = summary.Tiles };
        }
        var result = new Dictionary<string, object> { ["wholeCold"] = Measure(whole: true), ["tiledCold"] = Measure(whole: false) };
        var wholeRuns = new List<Dictionary<string, double>>();
        var tiledRuns = new List<Dictionary<string, double>>();
        for (int i = 0; i < runs; i++)
        {
            wholeRuns.Add(Measure(whole: true));
            tiledRuns.Add(Measure(whole: false));
        }
        result["whole"] = wholeRuns;
        result["tiled"] = tiledRuns;
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }
}
