using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ImageReducer.Engine.Config;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using ImageReducer.Workflow.Tests.Azurite;

namespace ImageReducer.Bench;

/// <summary>
/// What one MapTile activity costs a worker: wall time, CPU time (user + system, every thread of the
/// worker process) and peak memory per tile — the inputs of the survey-night cost model.
/// </summary>
/// <remarks>
/// <para>Usage: <c>maptile [SIZE] [--tile ROWS] [--runs N] [--stores memory,azurite]</c>; defaults 4096,
/// 1024-row tiles, 5 measured activities per store, both stores. The exposure is the workflow suite's
/// (uniform noise, Gaussian PSF), reduced <c>add</c> → <c>average</c> with cells 41 / step 40 / border 8 px;
/// the tile measured is an interior one (<c>TileCount / 2</c>: a halo above and below).</para>
/// <para>Each store gets its own worker process, which runs the activity body
/// (<see cref="MapTileStep.RunAsync"/>, what the Durable activity calls) once cold (the first
/// activity of a fresh worker: JIT, SDK, pools) and then N times warm, one at a time, as a Functions
/// worker runs activity after activity. Before each warm activity the worker collects garbage and
/// resets its peak resident set (Linux <c>clear_refs</c>), so the peak is that activity's.</para>
/// <para>Stores: <c>memory</c> — the input and the staged blocks in a local folder store on tmpfs
/// (<c>/dev/shm</c>): the tile's bytes are already in memory and every transfer is a memory copy;
/// <c>azurite</c> — Azurite (its file store on tmpfs) on the same machine, over HTTP with the Azure SDK.
/// Azurite's own CPU (a separate Node.js process here, the storage service on Azure) is not counted.</para>
/// </remarks>
internal sealed class MapTileSuite : IBenchmarkSuite
{
    public string Name => "maptile";
    public string Description => "one MapTile activity: wall, CPU seconds and peak memory per tile, tile in memory vs from Azurite";

    public int Run(string[] args)
    {
        if (args.Length > 0 && args[0] == "--child")
            return Child(args[1], args[2], BlobPath.Parse(args[3]), int.Parse(args[4], CultureInfo.InvariantCulture), int.Parse(args[5], CultureInfo.InvariantCulture));
        if (ActivityBench.Parse(Name, args, defaultRuns: 5) is not { } a) return 2;
        return RunAsync(a.Size, a.TileRows, a.Runs, a.Stores).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(int size, int tileRows, int runs, string[] stores)
    {
        Console.WriteLine($"maptile: {size}×{size} exposure, {tileRows}-row tiles, add → average, cell 41 / step 40 / border 8 px; " +
                          $"{Environment.ProcessorCount} cores (the engine uses all); .NET {Environment.Version}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; load {Machine.Load()}");
        var rows = await ActivityBench.ForEachStoreAsync("maptile", size, stores, async (kind, location, store, input) =>
        {
            var (_, plan) = await new PlanStep(ReductionServices.Create(store)).RunAsync(
                new ReductionRequest(input, new BlobPath("bench", "output.fits"), Engine.Config.ConfigJson.Deserialize(ActivityBench.ConfigJson), tileRows));
            int tile = plan.TileCount / 2;
            Console.WriteLine($"{kind}: load before {Machine.Load()}");
            return (Store: kind, M: RunChild(kind, location, plan.Plan!, tile, runs), Tile: tile, Tiles: plan.TileCount);
        });
        Print(rows, size, tileRows, runs);
        Console.WriteLine($"load at end: {Machine.Load()}");
        return 0;
    }

    private static void Print(List<(string Store, Dictionary<string, JsonElement> M, int Tile, int Tiles)> rows, int size, int tileRows, int runs)
    {
        double tileMib = (double)size * tileRows * 12 / (1 << 20);
        Console.WriteLine();
        Console.WriteLine($"One MapTile (interior tile of {rows.FirstOrDefault().Tiles} tiles; its pixels {tileMib:F0} MiB): cold = first activity of a fresh worker; " +
                          $"warm = median of {runs} activities run one after another in the same worker (range).");
        Console.WriteLine();
        Console.WriteLine("| tile input | activity | wall s | CPU s (user+sys) | read / map / stage s | peak RSS of the worker MiB | peak growth over the idle worker MiB (× tile pixels) | managed heap peak MiB |");
        Console.WriteLine("|---|---|---:|---:|---|---:|---:|---:|");
        foreach (var (store, m, _, _) in rows)
        {
            string name = store == "memory" ? "in memory (tmpfs folder store)" : "Azurite (HTTP, tmpfs)";
            var cold = m["cold"];
            Console.WriteLine($"| {name} | cold | {ActivityBench.F2(cold, "wall")} | {ActivityBench.F2(cold, "cpu")} | {ActivityBench.F2(cold, "read")} / {ActivityBench.F2(cold, "map")} / {ActivityBench.F2(cold, "stage")} | " +
                              $"{ActivityBench.F0(cold, "peakRss")} | {cold.GetProperty("peakRss").GetDouble() - cold.GetProperty("baseRss").GetDouble():F0} | {ActivityBench.F0(cold, "managed")} |");
            var warm = m["warm"].EnumerateArray().ToArray();
            string Med(string key, string format) => Stats.Median(warm.Select(w => w.GetProperty(key).GetDouble())).ToString(format, CultureInfo.InvariantCulture);
            string Range(string key, string format) => $"{warm.Min(w => w.GetProperty(key).GetDouble()).ToString(format, CultureInfo.InvariantCulture)}–{warm.Max(w => w.GetProperty(key).GetDouble()).ToString(format, CultureInfo.InvariantCulture)}";
            double growth = Stats.Median(warm.Select(w => w.GetProperty("peakRss").GetDouble() - w.GetProperty("baseRss").GetDouble()));
            Console.WriteLine($"| {name} | warm | {Med("wall", "F2")} ({Range("wall", "F2")}) | {Med("cpu", "F2")} ({Range("cpu", "F2")}) | " +
                              $"{Med("read", "F2")} / {Med("map", "F2")} / {Med("stage", "F2")} | {Med("peakRss", "F0")} ({Range("peakRss", "F0")}) | " +
                              $"{growth:F0} ({growth / tileMib:F2}×) | {Med("managed", "F0")} |");
        }
        Console.WriteLine();
        Console.WriteLine("CPU s: the worker process's user + system time during the activity (all its threads: engine workers, I/O, GC). " +
                          "Peak RSS: VmHWM, reset before each warm activity after a full collection. The idle worker is the same process just before the activity.");
    }

    private static Dictionary<string, JsonElement> RunChild(string kind, string location, BlobPath plan, int tile, int runs) =>
        ActivityBench.RunChild("maptile", kind, location, plan.ToString(), tile.ToString(CultureInfo.InvariantCulture), runs.ToString(CultureInfo.InvariantCulture));

    /// <summary>The worker: one cold activity, then <paramref name="runs"/> warm ones, each measured alone.</summary>
    private static int Child(string kind, string location, BlobPath plan, int tile, int runs)
    {
        IBlobStore store = kind == "memory" ? new LocalFolderBlobStore(location) : new AzureBlobStore(location);
        var step = new MapTileStep(ReductionServices.Create(store));
        Dictionary<string, double> Measure()
        {
            double baseRss = Machine.StatusMib("VmRSS");
            TimeSpan cpu = Machine.ProcessCpu();
            var clock = Stopwatch.StartNew();
            TileResult r = step.RunAsync(new TileTask(plan, tile)).GetAwaiter().GetResult();
            double wall = clock.Elapsed.TotalSeconds;
            double cpuSeconds = (Machine.ProcessCpu() - cpu).TotalSeconds;
            if (!r.Succeeded) throw new InvalidOperationException($"tile {tile} failed: {r.Error}");
            return new()
            {
                ["wall"] = wall, ["cpu"] = cpuSeconds, ["read"] = r.ReadSeconds, ["map"] = r.MapSeconds, ["stage"] = r.StageSeconds,
                ["baseRss"] = baseRss, ["peakRss"] = Machine.StatusMib("VmHWM"), ["managed"] = r.PeakManagedBytes / 1048576.0,
            };
        }
        var cold = Measure();
        var warm = new List<Dictionary<string, double>>();
        for (int i = 0; i < runs; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            Machine.ResetPeakRss();
            warm.Add(Measure());
        }
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object> { ["cold"] = cold, ["warm"] = warm }));
        return 0;
    }
}
