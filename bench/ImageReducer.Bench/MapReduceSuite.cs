using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ImageReducer.Engine;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Gridding;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.PointSpread;
using ImageReducer.Engine.Reducing;
using ImageReducer.Engine.Running;
using ImageReducer.TestSupport;

namespace ImageReducer.Bench;

/// <summary>
/// map (the built-in <c>add</c>, or any registered mapper) + reduce (average, copy) over a square
/// exposure, with the grid of <see cref="GridBuilder"/>, single thread and all cores, next to
/// the numpy baseline (shared/bench/lsst_numpy_baseline.py, <c>time_reduce</c>), with peak RSS of
/// both measured the same way: each side runs in its own child process and reports its own peak
/// resident set (VmHWM for us, <c>ru_maxrss</c> for python).
/// </summary>
/// <remarks>
/// Usage: <c>mapreduce [SIZE ...] [--cell C --step S --border B] [--ops average,copy] [--mapper NAME] [--repeat N] [--processes K] [--no-baseline]</c>.
/// Defaults: 4096, cell 41, step 40, border 8 (pixels, adjustGridOption none), mapper add (amount 1),
/// ops average and copy. The numpy baseline exists for <c>add</c> only; other mappers (e.g.
/// <c>background</c>) show how the engine scales with cores. Times are the best of N runs (default
/// 3; the baseline uses the same N), wall and process CPU time. "stream" is the engine's normal run
/// (map and fold interleaved); "map" and "reduce" are measured in a second mode that maps every cell
/// first (all results alive) and then reduces the list, single-threaded.
/// </remarks>
internal sealed class MapReduceSuite : IBenchmarkSuite
{
    public string Name => "mapreduce";
    public string Description => "add mapper + average/copy reduce vs the numpy baseline (time, speed-up, peak RSS)";

    public int Run(string[] args)
    {
        if (args.Length > 0 && args[0] == "--child") return Child(args[1..]);
        var sizes = new List<int>();
        int cell = 41, step = 40, border = 8, repeat = 3, processes = 3;
        string[] ops = ["average", "copy"];
        string mapperName = "add";
        bool baseline = true;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--cell": cell = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--step": step = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--border": border = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--repeat": repeat = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--processes": processes = Math.Max(1, int.Parse(args[++i], CultureInfo.InvariantCulture)); break;
                case "--ops": ops = args[++i].Split(','); break;
                case "--mapper": mapperName = args[++i]; break;
                case "--no-baseline": baseline = false; break;
                default:
                    if (!int.TryParse(args[i], NumberStyles.None, CultureInfo.InvariantCulture, out int s) || s <= 0)
                    {
                        Console.Error.WriteLine($"mapreduce: error: unknown argument '{args[i]}' (expected sizes, --cell, --step, --border, --ops, --mapper, --repeat, --processes, --no-baseline)");
                        return 2;
                    }
                    sizes.Add(s);
                    break;
            }
        }
        if (sizes.Count == 0) sizes.Add(4096);

        Console.WriteLine($"mapreduce: {mapperName}{(mapperName == "add" ? " (amount 1)" : "")} + reduce; cell {cell}, step {step}, border {border} px, adjustGridOption none; " +
                          $"{Environment.ProcessorCount} cores; best of {repeat} runs in each of {processes} processes per side; .NET {Environment.Version}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; load average {Machine.Load()}");
        var rows = new List<string[]>();
        foreach (int size in sizes)
            foreach (string op in ops)
            {
                Dictionary<string, JsonElement> ours;
                Dictionary<string, JsonElement>? py;
                try
                {
                    ours = Best(Enumerable.Range(0, processes).Select(_ => RunChild(size, cell, step, border, op, repeat, mapperName)).ToList(), "stream1");
                    py = baseline && mapperName == "add" ? BestOrNull(Enumerable.Range(0, processes).Select(_ => RunBaseline(size, cell, step, border, op, repeat)).ToList()) : null;
                }
                catch (InvalidOperationException e)
                {
                    Console.Error.WriteLine($"mapreduce: error: {e.Message}");
                    return 1;
                }
                double pyMap = py?["map_s"].GetDouble() ?? double.NaN, pyRed = py?["reduce_s"].GetDouble() ?? double.NaN;
                double pyTotal = py?["total_s"].GetDouble() ?? double.NaN, pyCpu = py?["cpu_s"].GetDouble() ?? double.NaN;
                double pixelMiB = (double)size * size * 12 / 1048576;
                double pyRss = py is null ? double.NaN : py["maxrss_kb"].GetDouble() / 1024;
                double peak = ours["peakRssMb"].GetDouble(), baseRss = ours["baseRssMb"].GetDouble();
                rows.Add([
                    $"{size}²", $"{cell}/{step}/{border}", ours["cells"].GetInt32().ToString(CultureInfo.InvariantCulture), mapperName, op,
                    Ms(pyMap), Ms(pyRed), Ms(pyTotal),
                    Ms(ours["map1"].GetDouble()), Ms(ours["reduce1"].GetDouble()),
                    Ms(ours["stream1"].GetDouble()), Ms(ours["streamN"].GetDouble()),
                    Ratio(pyTotal / ours["stream1"].GetDouble()), Ratio(pyTotal / ours["streamN"].GetDouble()),
                    Ms(pyCpu), Ms(ours["cpu1"].GetDouble()), Ratio(pyCpu / ours["cpu1"].GetDouble()),
                    Ratio(ours["stream1"].GetDouble() / ours["streamN"].GetDouble()),
                    $"{pixelMiB:F0}",
                    py is null ? "-" : $"{pyRss:F0} ({pyRss / pixelMiB:F2}×)",
                    $"{peak:F0} ({peak / pixelMiB:F2}×)",
                    $"{(peak - baseRss) / pixelMiB:F2}×",
                    $"{ours["gc0"].GetInt32()}/{ours["gc2"].GetInt32()}/{ours["allocMb"].GetDouble():F0}",
                    Ms(ours["floor1"].GetDouble()), Ratio(pyTotal / ours["floor1"].GetDouble()),
                ]);
                Print(rows);
            }
        return 0;
    }

    private static readonly string[] Header =
    [
        "image", "cell/step/border", "cells", "mapper", "op", "numpy map ms", "numpy reduce ms", "numpy total ms",
        "ours map ms (1t)", "ours reduce ms (1t)", "ours stream ms 1t", "ours stream ms Nt",
        "speed-up wall 1t", "speed-up wall Nt", "numpy CPU ms", "ours CPU ms 1t", "speed-up CPU 1t", "Nt/1t",
        "pixel MiB", "numpy peak RSS MiB", "ours peak RSS MiB", "ours run memory", "GC0/GC2/alloc MB per 1t run",
        "floor ms (1t)", "numpy / floor",
    ];

    private static void Print(List<string[]> rows)
    {
        var widths = Header.Select((h, c) => Math.Max(h.Length, rows.Max(r => r[c].Length))).ToArray();
        Console.WriteLine();
        Console.WriteLine("| " + string.Join(" | ", Header.Select((h, c) => h.PadRight(widths[c]))) + " |");
        Console.WriteLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
        foreach (var r in rows) Console.WriteLine("| " + string.Join(" | ", r.Select((v, c) => v.PadLeft(widths[c]))) + " |");
        Console.WriteLine("speed-up wall = numpy wall (map + reduce) / ours streamed map+reduce wall; speed-up CPU = the same with process CPU time " +
                          "(robust when the machine is shared). Nt/1t = single-thread stream wall / all-core stream wall. " +
                          "Peak RSS: whole process (VmHWM; python's ru_maxrss), × = / exposure pixel bytes (image+mask+variance). " +
                          "Ours run memory = (peak RSS − RSS of the warmed-up runtime before the exposure was allocated) / pixel bytes: " +
                          "input + output + work buffers of one streamed all-core run. " +
                          "Floor = one thread copying the three input planes into three output planes (pooled, as the reducer's): " +
                          "the memory traffic any map+reduce that returns a new exposure must pay; numpy / floor = the largest " +
                          "single-thread speed-up this machine allows.");
    }

    private static string Ms(double seconds) => double.IsNaN(seconds) ? "-" : (seconds * 1000).ToString("F1", CultureInfo.InvariantCulture);
    private static string Ratio(double r) => double.IsNaN(r) ? "-" : r.ToString("F1", CultureInfo.InvariantCulture) + "×";

    /// <summary>Keys that are times (seconds): the best over processes is their minimum.</summary>
    private static readonly HashSet<string> TimeKeys = ["stream1", "cpu1", "streamN", "cpuN", "map1", "reduce1", "floor1", "map_s", "reduce_s", "total_s", "cpu_s"];

    /// <summary>
    /// The best of several processes: each time key is its minimum over the processes (each already a
    /// best of N runs); the other keys (memory, collections) come from the process whose
    /// <paramref name="by"/> was best. On this kind of shared VM a whole process can run 2–7× slower
    /// than its neighbours (memory placement; seen with the JIT's tiering switched off too), which a
    /// best of N runs within one process cannot undo.
    /// </summary>
    private static Dictionary<string, JsonElement> Best(IReadOnlyList<Dictionary<string, JsonElement>> runs, string by)
    {
        var best = new Dictionary<string, JsonElement>(runs.MinBy(r => r[by].GetDouble())!);
        foreach (string key in best.Keys.Where(TimeKeys.Contains).ToList())
            best[key] = JsonSerializer.SerializeToElement(runs.Min(r => r[key].GetDouble()));
        return best;
    }

    private static Dictionary<string, JsonElement>? BestOrNull(IReadOnlyList<Dictionary<string, JsonElement>?> runs)
        => runs.Any(r => r is null) ? null : Best(runs.Select(r => r!).ToList(), "total_s");

    private static Dictionary<string, JsonElement> RunChild(int size, int cell, int step, int border, string op, int repeat, string mapper)
    {
        string self = Environment.ProcessPath!;
        var psi = new ProcessStartInfo(self) { RedirectStandardOutput = true };
        // Under "dotnet run" the process is the apphost; under "dotnet X.dll" it is dotnet itself.
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") psi.ArgumentList.Add(typeof(MapReduceSuite).Assembly.Location);
        foreach (var a in new[] { "mapreduce", "--child", $"{size}", $"{cell}", $"{step}", $"{border}", op, $"{repeat}", mapper }) psi.ArgumentList.Add(a);
        return ReadJson(psi, "engine child");
    }

    private static Dictionary<string, JsonElement>? RunBaseline(int size, int cell, int step, int border, string op, int repeat)
    {
        string? dir = SharedBench.FindDirectory();
        if (dir is null)
        {
            Console.Error.WriteLine($"mapreduce: numpy baseline not found (../shared/bench/{SharedBench.BaselineFile} beside the repository root); set {SharedBench.DirectoryVariable}");
            return null;
        }
        // time_reduce's loop, with CPU time (time.process_time) measured next to the wall clock.
        string code = """
            import sys, json, resource, time
            import numpy as np
            sys.path.insert(0, sys.argv[1])
            import lsst_numpy_baseline as ref
            w, cell, step, border, repeat = (int(x) for x in sys.argv[2:7])
            op = sys.argv[7]
            rng = np.random.default_rng(0)
            exp = ref.Exposure(w, w, psf=ref.DoubleGaussianPsf(11, 11, 2.0, 3.7))
            exp.image[:] = rng.standard_normal((w, w), dtype=np.float32)
            exp.variance[:] = 1.0
            config = ref.MapReduceConfig(cellSizeX=cell, cellSizeY=cell, gridStepX=step, gridStepY=step,
                                         borderSizeX=border, borderSizeY=border, adjustGridOption="none",
                                         scaleByFwhm=False, reduceOperation=op)
            best = [float("inf")] * 4
            for _ in range(max(1, repeat)):
                task = ref.ImageMapReduceTask(config, ref.AddAmountMapper(amount=1.0))
                t0, c0 = time.perf_counter(), time.process_time()
                results = task.run_mapper(exp)
                t1, c1 = time.perf_counter(), time.process_time()
                task.reduce(results, exp)
                t2, c2 = time.perf_counter(), time.process_time()
                best = [min(best[0], t1 - t0), min(best[1], t2 - t1), min(best[2], t2 - t0), min(best[3], c2 - c0)]
                del results
            print(json.dumps({"map_s": best[0], "reduce_s": best[1], "total_s": best[2], "cpu_s": best[3],
                              "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
            """;
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true };
        foreach (var a in new[] { "-c", code, dir, $"{size}", $"{cell}", $"{step}", $"{border}", $"{repeat}", op }) psi.ArgumentList.Add(a);
        return ReadJson(psi, "numpy baseline (/usr/bin/python3 with numpy; apt-get install python3-numpy)");
    }

    private static Dictionary<string, JsonElement> ReadJson(ProcessStartInfo psi, string what)
    {
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start the {what}");
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"the {what} failed with exit code {p.ExitCode}");
        string line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        return JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(line)!;
    }

    /// <summary>The measuring child: one size, op and mapper; prints one JSON line.</summary>
    private static int Child(string[] a)
    {
        int size = int.Parse(a[0], CultureInfo.InvariantCulture), cell = int.Parse(a[1], CultureInfo.InvariantCulture);
        int step = int.Parse(a[2], CultureInfo.InvariantCulture), border = int.Parse(a[3], CultureInfo.InvariantCulture);
        ReduceOperation op = ReduceOperation.Parse(a[4]);
        int repeat = int.Parse(a[5], CultureInfo.InvariantCulture);
        string mapperName = a[6];

        // The product's mapper and grid, as a configuration names them.
        var mapperConfig = new MapperConfig { Name = mapperName };
        if (mapperName == "add") mapperConfig.Options["addAmount"] = JsonSerializer.SerializeToElement(1.0);
        IMapper mapper = new MapperRegistry().Create(mapperConfig);
        var gridConfig = new MapReduceConfig
        {
            CellSizeX = cell, CellSizeY = cell, GridStepX = step, GridStepY = step, BorderSizeX = border, BorderSizeY = border,
            AdjustGridOption = AdjustGridOption.None, ScaleByFwhm = false,
        };
        var config = new ReducerConfig { ReduceOperation = op };
        var one = new EngineOptions { MaxDegreeOfParallelism = 1 };
        var all = EngineOptions.Default;
        WarmUp(mapper, gridConfig, config, one, all);

        using var me = Process.GetCurrentProcess();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        me.Refresh();
        double baseRss = me.WorkingSet64 / 1048576.0;
        using var input = Noise(size);
        var grid = GridBuilder.Build(input, gridConfig);

        // Peak RSS of one streamed all-core run, measured first (after a full GC), as python's
        // ru_maxrss is the peak of its process.
        GC.Collect();
        using (new MapReduceRunner(mapper, config, all).Run(input, grid).Reduced.Exposure) { }
        me.Refresh();
        double peakRss = me.PeakWorkingSet64 / 1048576.0;

        (double Wall, double Cpu) Stream(EngineOptions o)
        {
            var runner = new MapReduceRunner(mapper, config, o);
            double best = double.PositiveInfinity, bestCpu = double.PositiveInfinity;
            for (int r = 0; r < repeat; r++)
            {
                GC.Collect(); // a fresh heap per run, as python frees each run's output at once
                me.Refresh();
                TimeSpan cpu0 = me.TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                using (runner.Run(input, grid).Reduced.Exposure) { }
                best = Math.Min(best, sw.Elapsed.TotalSeconds);
                me.Refresh();
                bestCpu = Math.Min(bestCpu, (me.TotalProcessorTime - cpu0).TotalSeconds);
            }
            return (best, bestCpu);
        }
        var streamN = Stream(all);
        var stream1 = Stream(one);

        // Collections and allocations of one single-thread streamed run.
        GC.Collect();
        int gc0 = GC.CollectionCount(0), gc2 = GC.CollectionCount(2);
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        using (new MapReduceRunner(mapper, config, one).Run(input, grid).Reduced.Exposure) { }
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        gc0 = GC.CollectionCount(0) - gc0;
        gc2 = GC.CollectionCount(2) - gc2;

        // The floor: read every input plane once and write every output plane once, nothing else.
        double floor1 = double.PositiveInfinity;
        for (int r = 0; r < repeat; r++)
        {
            GC.Collect();
            var sw = Stopwatch.StartNew();
            using (var image = Image<float>.Rent(input.Box, clear: false))
            using (var mask = Image<int>.Rent(input.Box, clear: false))
            using (var variance = Image<float>.Rent(input.Box, clear: false))
            {
                image.CopyFrom(input.Image);
                mask.CopyFrom(input.Mask.Pixels);
                variance.CopyFrom(input.Variance);
            }
            floor1 = Math.Min(floor1, sw.Elapsed.TotalSeconds);
        }

        var runner1 = new MapReduceRunner(mapper, config, one);
        IReducer reducer = Reducers.Create(config);
        double map1 = double.PositiveInfinity, reduce1 = double.PositiveInfinity;
        for (int r = 0; r < repeat; r++)
        {
            GC.Collect();
            var sw = Stopwatch.StartNew();
            var results = runner1.MapAll(input, grid);
            map1 = Math.Min(map1, sw.Elapsed.TotalSeconds);
            sw.Restart();
            using (reducer.Reduce(results, input, one).Exposure) { }
            reduce1 = Math.Min(reduce1, sw.Elapsed.TotalSeconds);
            foreach (var res in results) if (res is ExposureResult e) e.SubExposure.Dispose();
        }
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["cells"] = grid.Count, ["stream1"] = stream1.Wall, ["cpu1"] = stream1.Cpu, ["streamN"] = streamN.Wall, ["cpuN"] = streamN.Cpu,
            ["map1"] = map1, ["reduce1"] = reduce1, ["peakRssMb"] = peakRss, ["baseRssMb"] = baseRss,
            ["gc0"] = gc0, ["gc2"] = gc2, ["allocMb"] = allocated / 1048576.0, ["floor1"] = floor1,
        }));
        return 0;
    }

    /// <summary>
    /// Runs every measured path on a small image for about a second, so the hot loops are measured
    /// in their optimised (tier-1) code rather than the first, unoptimised JIT tier.
    /// </summary>
    private static void WarmUp(IMapper mapper, MapReduceConfig gridConfig, ReducerConfig config, EngineOptions one, EngineOptions all)
    {
        using var small = Noise(512);
        var grid = GridBuilder.Build(small, gridConfig);
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed.TotalSeconds < 1.5)
            foreach (var o in new[] { one, all })
            {
                using (new MapReduceRunner(mapper, config, o).Run(small, grid).Reduced.Exposure) { }
                var results = new MapReduceRunner(mapper, config, o).MapAll(small, grid);
                using (Reducers.Create(config).Reduce(results, small, o).Exposure) { }
                foreach (var res in results) if (res is ExposureResult e) e.SubExposure.Dispose();
            }
        GC.Collect();
    }

    /// <summary>The baseline's input: N(0,1) float32 image, unit variance, zero mask, DoubleGaussianPsf(11, 11, 2.0, 3.7).</summary>
    internal static Exposure Noise(int size)
    {
        var e = new Exposure(new Box(0, 0, size, size), new DoubleGaussianPsf(11, 11, 2.0, 3.7));
        var rng = new Random(0);
        for (int j = 0; j < size; j++)
        {
            Span<float> row = e.Image.RowAt(j);
            for (int i = 0; i < size; i += 2)
            {
                double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble(), r = Math.Sqrt(-2 * Math.Log(u1));
                row[i] = (float)(r * Math.Cos(2 * Math.PI * u2));
                if (i + 1 < size) row[i + 1] = (float)(r * Math.Sin(2 * Math.PI * u2));
            }
        }
        e.Variance.Fill(1f);
        return e;
    }
}
