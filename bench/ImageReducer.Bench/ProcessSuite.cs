using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ImageReducer.Engine;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Gridding;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.Reducing;
using ImageReducer.Engine.Running;

namespace ImageReducer.Bench;

/// <summary>
/// <c>process [SIZE] [--runs N] [--warm N] [--imred PATH] [--variant NAME:VAR=VALUE[,VAR=VALUE]] [--docs]</c>
/// (a variant's <c>IMRED=PATH</c> runs another imred binary instead of setting a variable):
/// the whole job as a user runs it — real <c>imred run</c> processes next to a numpy + astropy script
/// doing the same job (process_numpy_job.py) and next to the physical floor — whole processes, in turn,
/// medians of N rounds (default 5).
/// </summary>
/// <remarks>
/// <para>The input is a SIZE² LSST-layout exposure (N(0,1) image, unit variance, zero mask,
/// DoubleGaussianPsf(11, 11, 2, 3.7), written by the engine); the job is <c>add</c> (amount 1) →
/// <c>average</c> over cells 41 / step 40 / border 8 px. <c>imred</c> is published from this checkout
/// (<c>dotnet publish -c Release -r RID</c>, as the README says: on linux-x64 the native build, with the managed
/// build beside it, which runs as a row of its own) unless <c>--imred</c> names a binary.</para>
/// <para>Each round runs every job once, one after the other (so a change of machine load hits all of
/// them); one untimed round first warms the page cache. Wall time is measured here from process start
/// to exit; CPU and peak RSS come from <c>/usr/bin/time</c>. Phase times come from the processes'
/// own reports (imred's <c>--json</c> metadata; the script's JSON).</para>
/// <para>Floor: one .NET process that reads the input through the page cache into new memory, writes
/// the output's byte count to a new file and fsyncs it (<see cref="FloorIo"/>); and a trivial .NET
/// process alone. Warm figures: the engine in this process after warm-up (1 thread and all cores;
/// memory kept by the GC between runs, so planes are pooled) and the script's map + reduce repeated in
/// its own process. <c>--docs</c> rewrites the table in docs/benchmarks.md.</para>
/// </remarks>
internal sealed class ProcessSuite : IBenchmarkSuite
{
    private const int Cell = 41, Step = 40, Border = 8;
    private const string DocsBegin = "<!-- process-suite:begin -->", DocsEnd = "<!-- process-suite:end -->";

    public string Name => "process";
    public string Description => "whole imred run processes vs the numpy + astropy script and the physical floor (args: [size=4096] [--runs 5] [--warm 5] [--imred PATH] [--variant NAME:VAR=V,..] [--docs])";

    private sealed class Job(string name, string kind, string file, string[] args, Dictionary<string, string> env, string? output)
    {
        public string Name { get; } = name;
        public string Kind { get; } = kind;
        public string File { get; } = file;
        public string[] Args { get; set; } = args;
        public Dictionary<string, string> Env { get; } = env;
        public string? Output { get; } = output;
        public List<ProcessCost> Costs { get; } = [];
        public List<JsonElement> Reports { get; } = [];
    }

    public int Run(string[] args)
    {
        int size = 4096, runs = 5, warm = 5;
        string? imred = null;
        bool docs = false;
        var variants = new List<(string Name, Dictionary<string, string> Env)>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs": runs = Math.Max(1, int.Parse(args[++i], CultureInfo.InvariantCulture)); break;
                case "--warm": warm = Math.Max(1, int.Parse(args[++i], CultureInfo.InvariantCulture)); break;
                case "--imred": imred = Path.GetFullPath(args[++i]); break;
                case "--docs": docs = true; break;
                case "--variant":
                    string[] v = args[++i].Split(':', 2);
                    if (v.Length != 2 || v[1].Split(',').Any(kv => !kv.Contains('=')))
                    {
                        Console.Error.WriteLine($"process: error: --variant {args[i]}: expected NAME:VAR=VALUE[,VAR=VALUE]");
                        return 2;
                    }
                    variants.Add((v[0], v[1].Split(',').Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1])));
                    break;
                default:
                    if (!int.TryParse(args[i], NumberStyles.None, CultureInfo.InvariantCulture, out size) || size < 64)
                    {
                        Console.Error.WriteLine($"process: error: unknown argument '{args[i]}' (expected SIZE >= 64, --runs N, --warm N, --imred PATH, --variant NAME:VAR=VALUE, --docs)");
                        return 2;
                    }
                    break;
            }
        }
        string root = RepoRoot();
        string baseline = Path.GetFullPath(Environment.GetEnvironmentVariable("IMRED_BASELINE_DIR") ?? Path.Combine(root, "..", "shared", "bench"));
        if (!File.Exists(Path.Combine(baseline, "lsst_numpy_baseline.py")))
        {
            Console.Error.WriteLine($"process: error: no lsst_numpy_baseline.py in {baseline} (set IMRED_BASELINE_DIR)");
            return 2;
        }
        string dir = Directory.CreateTempSubdirectory("imred-bench-process-").FullName;
        try
        {
            return Measure(root, baseline, dir, size, runs, warm, imred, variants, docs);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static int Measure(string root, string baseline, string dir, int size, int runs, int warm, string? imred,
        List<(string Name, Dictionary<string, string> Env)> variants, bool docs)
    {
        string input = Path.Combine(dir, "input.fits");
        using (var e = MapReduceSuite.Noise(size)) ExposureFits.Write(e, input);
        long inputBytes = new FileInfo(input).Length;
        imred ??= Publish(root, Path.Combine(dir, "imred"));
        string script = Path.Combine(AppContext.BaseDirectory, "process_numpy_job.py");
        var (self, selfPrefix) = TimedProcess.Self();

        string[] ImredArgs(string output, int? threads) =>
        [
            "run", input, "-o", output, "--json",
            "--set", $"cellSizeX={Cell}", "--set", $"cellSizeY={Cell}", "--set", $"gridStepX={Step}", "--set", $"gridStepY={Step}",
            "--set", $"borderSizeX={Border}", "--set", $"borderSizeY={Border}", "--set", "adjustGridOption=none", "--set", "scaleByFwhm=false",
            "--set", "mapper.name=add", "--set", "mapper.addAmount=1", "--set", "reducer.reduceOperation=average",
            .. threads is int t ? new[] { "--threads", t.ToString(CultureInfo.InvariantCulture) } : [],
        ];
        string Out(string name) => Path.Combine(dir, name);
        var jobs = new List<Job>
        {
            new("numpy + astropy script", "numpy", "/usr/bin/python3",
                [script, baseline, input, Out("numpy.fits"), $"{Cell}", $"{Step}", $"{Border}", "1"], [], Out("numpy.fits")),
            // The same work as imred: its run metadata records the SHA-256 of the input and of the output.
            new("numpy + astropy script + SHA-256 of input and output", "numpy-sha", "/usr/bin/python3",
                [script, "--sha256", baseline, input, Out("numpy-sha.fits"), $"{Cell}", $"{Step}", $"{Border}", "1"], [], Out("numpy-sha.fits")),
            new($"imred run (default: {Environment.ProcessorCount} threads)", "imred", imred, ImredArgs(Out("imred.fits"), null), [], Out("imred.fits")),
            new("imred run --threads 1", "imred", imred, ImredArgs(Out("imred1.fits"), 1), [], Out("imred1.fits")),
        };
        if (Environment.ProcessorCount >= 2)
            jobs.Add(new("imred run --threads 2", "imred", imred, ImredArgs(Out("imred2.fits"), 2), [], Out("imred2.fits")));
        // The linux-x64 publish is native with the managed build beside it (the project file): both, side by side.
        string managedBuild = Path.Combine(Path.GetDirectoryName(imred)!, "managed", Path.GetFileName(imred));
        if (File.Exists(managedBuild))
            jobs.Add(new("imred run, the managed build beside it (managed/: ReadyToRun, JIT for the rest)", "imred", managedBuild,
                ImredArgs(Out("imred-managed.fits"), null), [], Out("imred-managed.fits")));
        foreach (var (name, env) in variants)
        {
            // IMRED=PATH is not an environment variable: it names another imred build (e.g. a ReadyToRun publish).
            string binary = env.Remove("IMRED", out string? other) ? Path.GetFullPath(other) : imred;
            string what = string.Join(' ', env.Select(kv => $"{kv.Key}={kv.Value}").Append(binary == imred ? "" : $"imred {binary}")).Trim();
            jobs.Add(new($"imred run, {name} ({what})", "imred", binary, ImredArgs(Out($"v-{name}.fits"), null), env, Out($"v-{name}.fits")));
        }
        // The floor writes as many bytes as imred's output has; known after the warm-up round.
        var floor = new Job("floor: read + write + fsync (one .NET process)", "floor", self, [], [], Out("floor.bin"));
        var start = new Job("floor part: trivial .NET process start", "start", self, [.. selfPrefix, "noop"], [], null);

        Console.WriteLine($"process: {size}² LSST exposure ({inputBytes / 1e6:F1} MB), add → average, cells {Cell}/{Step}/{Border}; " +
                          $"{runs} rounds + 1 warm-up; {Environment.ProcessorCount} cores; .NET {Environment.Version}; imred {imred}");
        string loadBefore = Machine.Load();
        var began = DateTime.UtcNow;
        for (int round = 0; round <= runs; round++)
        {
            foreach (var j in jobs.Append(floor).Append(start))
            {
                if (j == floor)
                    floor.Args = [.. selfPrefix, "floor-io", input, Out("floor.bin"), new FileInfo(Out("imred.fits")).Length.ToString(CultureInfo.InvariantCulture)];
                Clean(j.Output);
                var cost = TimedProcess.Run(j.File, j.Args, j.Env);
                if (round == 0) continue; // warm-up: page cache, disk, first compilations of python's .pyc
                j.Costs.Add(cost);
                if (j.Kind != "start") j.Reports.Add(LastJson(cost.Stdout));
            }
            if (round > 0) Console.WriteLine($"  round {round}/{runs} done, load {Machine.Load()}");
        }
        jobs.Add(floor);
        jobs.Add(start);
        string loadAfter = Machine.Load();
        foreach (var job in jobs) Clean(job.Output);

        var warmNumpy = LastJson(TimedProcess.Run("/usr/bin/python3",
            [script, baseline, input, Out("numpy-warm.fits"), $"{Cell}", $"{Step}", $"{Border}", "1", warm.ToString(CultureInfo.InvariantCulture)]).Stdout);
        var warmEngine = WarmEngine(input, warm);
        double sha = Sha256Seconds(input, warm);
        var inProcess = InProcessImred(ImredArgs(Out("inproc.fits"), null), Out("inproc.fits"), warm);
        var ceiling = ThreadCeiling.Measure(inputBytes, Environment.ProcessorCount, warm);
        double? coreTrip = CoreDistance.RoundTripNs();
        var steps = StartupTimeline(imred, ImredArgs(Out("timeline.fits"), null), Out("timeline.fits"), runs);

        string table = Table(jobs, inputBytes, size, runs, warm, warmNumpy, warmEngine, sha, ceiling, coreTrip, inProcess, began, loadBefore, loadAfter)
            + Environment.NewLine + TimelineTable(steps, runs);
        Console.WriteLine();
        Console.WriteLine(table);
        if (docs) UpdateDocs(root, table);
        return 0;
    }

    /// <summary>One step of <c>IMRED_TIMELINE</c>: milliseconds since the process started (wall), CPU of all threads, methods JIT-compiled and JIT milliseconds so far.</summary>
    private sealed record TimelineStep(string Name, double Wall, double Cpu, double Jitted, double JitMs);

    /// <summary>
    /// Where a fresh <c>imred run</c>'s time goes: <paramref name="runs"/> more runs with <c>IMRED_TIMELINE=1</c> after the timed
    /// rounds (not among them: the timeline's own printing is not in the timed figures), the median of each step.
    /// </summary>
    private static List<TimelineStep> StartupTimeline(string imred, string[] args, string output, int runs)
    {
        var all = new List<List<TimelineStep>>();
        var env = new Dictionary<string, string> { ["IMRED_TIMELINE"] = "1" };
        for (int i = 0; i < runs; i++)
        {
            Clean(output);
            var cost = TimedProcess.Run(imred, args, env);
            var steps = new List<TimelineStep>();
            foreach (string line in cost.Stderr.Split('\n'))
            {
                // "imred: timeline   537.4 ms wall   825.0 ms CPU   518 JIT   195.5 ms JIT  result printed"
                var m = System.Text.RegularExpressions.Regex.Match(line,
                    @"imred: timeline\s+([\d.]+) ms wall\s+([\d.]+) ms CPU\s+(\d+) JIT\s+([\d.]+) ms JIT\s+(.+)$");
                if (!m.Success) continue;
                double G(int k) => double.Parse(m.Groups[k].Value, CultureInfo.InvariantCulture);
                string name = m.Groups[5].Value.Trim();
                if (steps.Any(s => s.Name == name)) continue; // the staged metadata file repeats the staged-file steps: keep the exposure's
                steps.Add(new TimelineStep(name, G(1), G(2), G(3), G(4)));
            }
            all.Add(steps);
        }
        Clean(output);
        return all[0].Select(s => s.Name).Where(n => all.All(r => r.Any(x => x.Name == n))).Select(n =>
        {
            var of = all.Select(r => r.First(x => x.Name == n)).ToList();
            return new TimelineStep(n, Stats.Median(of.Select(x => x.Wall)), Stats.Median(of.Select(x => x.Cpu)),
                Stats.Median(of.Select(x => x.Jitted)), Stats.Median(of.Select(x => x.JitMs)));
        }).ToList();
    }

    private static string TimelineTable(List<TimelineStep> steps, int runs)
    {
        static string F(double v, string format = "F0") => v.ToString(format, CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Where a fresh `imred run` (default threads) spends its time: `IMRED_TIMELINE=1`, {runs} more runs after the rounds, medians. ");
        sb.AppendLine("Milliseconds since the kernel started the process; CPU of all threads (the input's SHA-256 runs on its own thread from the start); " +
                      "methods JIT-compiled (not in the ReadyToRun images) and the milliseconds all threads spent compiling them.");
        sb.AppendLine();
        sb.AppendLine("| step | wall ms | step wall ms | CPU ms | JIT methods | JIT ms |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|");
        double previous = 0;
        foreach (var s in steps)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {s.Name} | {F(s.Wall)} | {F(s.Wall - previous)} | {F(s.Cpu)} | {F(s.Jitted)} | {F(s.JitMs)} |");
            previous = s.Wall;
        }
        return sb.ToString();
    }

    /// <summary>
    /// <c>imred run</c>'s own command (the CLI's <c>ImredApp</c>, the same arguments) run again and again inside this process:
    /// the first run JIT-compiles what the ReadyToRun build would also compile but starts no runtime; the later runs compile
    /// nothing and reuse the planes and pooled memory of the earlier ones. Medians of <paramref name="runs"/> after two more.
    /// What is left of a run when start-up, JIT and fresh memory are gone: the floor of the code itself.
    /// </summary>
    /// <remarks>This process runs with tiered compilation (imred without): the warm runs come after the hot code tiered up.</remarks>
    private static (double First, double Warm, double WarmCpu) InProcessImred(string[] args, string output, int runs)
    {
        var walls = new List<double>();
        var cpus = new List<double>();
        using var self = Process.GetCurrentProcess();
        for (int i = 0; i < runs + 3; i++)
        {
            Clean(output);
            self.Refresh();
            var cpu = self.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            int exit = ImageReducer.Cli.ImredApp.RunAsync(args, TextWriter.Null, TextWriter.Null).GetAwaiter().GetResult();
            double wall = clock.Elapsed.TotalSeconds;
            self.Refresh();
            if (exit != 0) throw new InvalidOperationException($"imred run in-process failed with exit code {exit}");
            walls.Add(wall);
            cpus.Add((self.TotalProcessorTime - cpu).TotalSeconds);
        }
        Clean(output);
        return (walls[0], Stats.Median(walls.Skip(3)), Stats.Median(cpus.Skip(3)));
    }

    /// <summary>
    /// Medians of the warm engine's map + reduce, 1 thread and all cores; and of one-thread runs in place alone
    /// (<paramref name="Alone"/>) and beside an independent one (<paramref name="Together"/>, see <c>CoRun</c>).
    /// </summary>
    /// <remarks>
    /// <paramref name="Split"/>: see <c>SplitInHalves</c>. <paramref name="InPlaceOneCpu"/> and <paramref name="InPlaceAllCpu"/>: CPU seconds of the process's threads in those
    /// runs. <paramref name="HeavyOne"/> and <paramref name="HeavyAll"/>: the same run in place with a compute-bound mapper
    /// (<see cref="HeavyMapper"/>) instead of <c>add</c>, 1 thread and all cores.
    /// </remarks>
    private sealed record WarmFigures(double One, double All, double InPlaceOne, double InPlaceAll, double Alone, double Together,
        double InPlaceOneCpu, double InPlaceAllCpu, double HeavyOne, double HeavyAll, (double Whole, double Halves) Split);

    /// <summary>
    /// A built-in mapper whose work per pixel is compute, not memory traffic (a sigma-clipped background fit per cell,
    /// 15–30× <c>add</c>'s time): through the same pipeline, its scaling shows what the pipeline itself allows.
    /// </summary>
    private const string HeavyMapper = "background";

    /// <summary>Timed runs of <see cref="HeavyMapper"/> per thread count (each takes ~0.4–0.8 s here), after one untimed.</summary>
    private const int HeavyRuns = 3;

    /// <summary>
    /// The engine's map + reduce in this process, warm (JIT done, GC memory kept): medians of <paramref name="runs"/>, 1 thread
    /// and all cores; into pooled output planes (<c>Run</c>), and into the input's own planes as <c>imred run</c> and the
    /// whole-exposure activity build it (<c>RunInPlace</c>; the input's pixels are copied back into the same planes before each
    /// run, outside the time, so every run starts from the same touched memory and gives the same bytes).
    /// </summary>
    private static WarmFigures WarmEngine(string input, int runs)
    {
        using var exposure = ExposureFits.Read(input);
        var config = new MapReduceConfig
        {
            CellSizeX = Cell, CellSizeY = Cell, GridStepX = Step, GridStepY = Step, BorderSizeX = Border, BorderSizeY = Border,
            AdjustGridOption = AdjustGridOption.None, ScaleByFwhm = false,
        };
        var mapperConfig = new MapperConfig { Name = "add" };
        mapperConfig.Options["addAmount"] = JsonSerializer.SerializeToElement(1.0);
        IMapper mapper = new MapperRegistry().Create(mapperConfig);
        var grid = GridBuilder.Build(exposure, config);
        var reducer = new ReducerConfig { ReduceOperation = ReduceOperation.Average };
        using var self = Process.GetCurrentProcess();
        // The medians of count runs after untimed ones, wall and CPU seconds; before() runs ahead of each, outside the time.
        (double Wall, double Cpu) Median(Action before, Action run, int count, int untimed)
        {
            for (int i = 0; i < untimed; i++)
            {
                before();
                run();
            }
            var times = new List<double>();
            var cpus = new List<double>();
            for (int i = 0; i < count; i++)
            {
                before();
                GC.Collect();
                self.Refresh();
                TimeSpan cpu = self.TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                run();
                times.Add(sw.Elapsed.TotalSeconds);
                self.Refresh();
                cpus.Add((self.TotalProcessorTime - cpu).TotalSeconds);
            }
            return (Stats.Median(times), Stats.Median(cpus));
        }
        double Pooled(EngineOptions options)
        {
            var runner = new MapReduceRunner(mapper, reducer, options);
            return Median(() => { }, () => runner.Run(exposure, grid).Reduced.Exposure!.Dispose(), runs, 3).Wall;
        }
        using var work = exposure.Clone();
        (double Wall, double Cpu) InPlace(IMapper with, EngineOptions options, int count, int untimed)
        {
            var runner = new MapReduceRunner(with, reducer, options);
            // The output is the input's planes (owned by work, so not disposed here).
            return Median(() => Restore(exposure, work), () => runner.RunInPlace(work, grid, returnSubImages: false, NeverReread), count, untimed);
        }
        var one = new EngineOptions { MaxDegreeOfParallelism = 1 };
        var (alone, together) = CoRun(exposure, work, grid, new MapReduceRunner(mapper, reducer, one), runs);
        var split = SplitInHalves(exposure, work, grid, config, new MapReduceRunner(mapper, reducer, one), runs);
        double pooledOne = Pooled(one), pooledAll = Pooled(EngineOptions.Default);
        var inPlaceOne = InPlace(mapper, one, runs, 3);
        var inPlaceAll = InPlace(mapper, EngineOptions.Default, runs, 3);
        IMapper heavy = new MapperRegistry().Create(new MapperConfig { Name = HeavyMapper });
        double heavyOne = InPlace(heavy, one, HeavyRuns, 1).Wall, heavyAll = InPlace(heavy, EngineOptions.Default, HeavyRuns, 1).Wall;
        return new WarmFigures(pooledOne, pooledAll, inPlaceOne.Wall, inPlaceAll.Wall, alone, together, inPlaceOne.Cpu, inPlaceAll.Cpu, heavyOne, heavyAll, split);
    }

    /// <summary>
    /// What a core's one-thread run in place costs while the other core runs one too: two threads each run the same
    /// job on its own copy of the input at once, sharing nothing but the machine (memory bandwidth, caches, the
    /// host), alternating with the first thread running alone while the second waits. Medians of <paramref name="runs"/>
    /// each (after two untimed pairs), every copy restored before its run outside the time. Two workers that split one
    /// run cannot be faster than this: the most two cores can give this job is 2 × alone / together.
    /// </summary>
    private static (double Alone, double Together) CoRun(Exposure input, Exposure first, Grid grid, MapReduceRunner runner, int runs)
    {
        using var second = input.Clone();
        var alone = new List<double>();
        var together = new List<double>();
        int rounds = 2 * (runs + 2);
        using var start = new Barrier(2);
        using var end = new Barrier(2);
        double[] took = new double[2];
        void Loop(int me)
        {
            Exposure work = me == 0 ? first : second;
            for (int round = 0; round < rounds; round++)
            {
                bool both = round % 2 == 0;
                if (me == 0 || both)
                {
                    // Only a copy that is run is restored: a second 201 MB copy just written would leave its dirty lines
                    // in the shared cache for the lone run to write back (measured: the lone run 0.028–0.035 s against the
                    // warm rows' 0.023–0.026 s when both copies were restored every round).
                    Restore(input, work);
                }
                start.SignalAndWait();
                if (me == 0 || both)
                {
                    var sw = Stopwatch.StartNew();
                    runner.RunInPlace(work, grid, returnSubImages: false, NeverReread);
                    took[me] = sw.Elapsed.TotalSeconds;
                }
                end.SignalAndWait();
                if (me == 0 && round >= 4) (both ? together : alone).Add(both ? (took[0] + took[1]) / 2 : took[0]);
            }
        }
        var other = new Thread(() => Loop(1)) { IsBackground = true, Name = "co-run" };
        other.Start();
        Loop(0);
        other.Join();
        return (Stats.Median(alone), Stats.Median(together));
    }

    /// <summary>
    /// The job split in two with nothing to coordinate: the exposure's top and bottom halves (rows), each its own grid, each
    /// run in place by one thread at once (two runs of the same planes that share no row, no result and no lock), alternating
    /// with the whole exposure run by one thread alone. Medians of <paramref name="runs"/> each, after two untimed rounds, the
    /// planes restored before every run outside the time. Whole / halves is what two cores give this job when splitting it
    /// costs nothing; the pipeline's two workers also hand seams to each other.
    /// </summary>
    private static (double Whole, double Halves) SplitInHalves(Exposure input, Exposure work, Grid grid, MapReduceConfig config,
        MapReduceRunner runner, int runs)
    {
        int top = work.Height / 2;
        Exposure[] halves =
        [
            work.Sub(new Box(work.Box.MinX, work.Box.MinY, work.Width, top)),
            work.Sub(new Box(work.Box.MinX, work.Box.MinY + top, work.Width, work.Height - top)),
        ];
        Grid[] grids = [GridBuilder.Build(halves[0], config), GridBuilder.Build(halves[1], config)];
        var whole = new List<double>();
        var split = new List<double>();
        try
        {
            for (int round = 0; round < runs + 2; round++)
            {
                Restore(input, work);
                GC.Collect();
                var sw = Stopwatch.StartNew();
                Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 },
                    k => runner.RunInPlace(halves[k], grids[k], returnSubImages: false, NeverReread));
                double both = sw.Elapsed.TotalSeconds;
                Restore(input, work);
                GC.Collect();
                sw.Restart();
                runner.RunInPlace(work, grid, returnSubImages: false, NeverReread);
                double alone = sw.Elapsed.TotalSeconds;
                if (round < 2) continue;
                split.Add(both);
                whole.Add(alone);
            }
        }
        finally
        {
            // Views of work's planes: disposing them releases nothing of work's.
            foreach (var half in halves) half.Dispose();
        }
        return (Stats.Median(whole), Stats.Median(split));
    }

    /// <summary>Copies the input's pixels back into the planes an in-place run overwrote (outside the time).</summary>
    private static void Restore(Exposure input, Exposure work)
    {
        work.Image.CopyFrom(input.Image);
        work.Variance.CopyFrom(input.Variance);
        work.Mask.Pixels.CopyFrom(input.Mask.Pixels);
    }

    /// <summary>
    /// The input again, for an in-place run that stops part-way: never needed here (the built-in <c>add</c> neither
    /// fails nor breaks its promise), so asking for it is a bug of the bench.
    /// </summary>
    private static Exposure NeverReread() => throw new InvalidOperationException("the in-place run asked for its input again");

    /// <summary>
    /// SHA-256 of the input file's bytes already in memory, one core (the hash cannot be split): median of
    /// <paramref name="runs"/>. The floor of any read that waits for the input's hash.
    /// </summary>
    private static double Sha256Seconds(string input, int runs)
    {
        byte[] data = File.ReadAllBytes(input);
        System.Security.Cryptography.SHA256.HashData(data);
        var times = new List<double>();
        for (int i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            System.Security.Cryptography.SHA256.HashData(data);
            times.Add(sw.Elapsed.TotalSeconds);
        }
        return Stats.Median(times);
    }

    private static string Table(List<Job> jobs, long inputBytes, int size, int runs, int warm, JsonElement warmNumpy,
        WarmFigures warmEngine, double sha, (ThreadCeiling.Scaling Touched, ThreadCeiling.Scaling Fresh, ThreadCeiling.Scaling Compute) ceiling,
        double? coreTrip, (double First, double Warm, double WarmCpu) inProcess, DateTime began, string loadBefore, string loadAfter)
    {
        static double D(JsonElement e, string key) => e.TryGetProperty(key, out var p) && p.ValueKind == JsonValueKind.Number ? p.GetDouble() : double.NaN;
        static double Phase(Job j, string key) => Stats.Median(j.Reports.Select(r => D(r.TryGetProperty("timings", out var t) ? t : r, key)));
        static double MapReduce(Job j) => Stats.Median(j.Reports.Select(r =>
        {
            var t = r.TryGetProperty("timings", out var x) ? x : r;
            return D(t, "map_s") + D(t, "reduce_s");
        }));
        static string F(double v, string format = "F3") => double.IsNaN(v) ? "-" : v.ToString(format, CultureInfo.InvariantCulture);

        var numpy = jobs.Single(j => j.Kind == "numpy");
        var numpySha = jobs.Single(j => j.Kind == "numpy-sha");
        var ours = jobs.First(j => j.Kind == "imred");
        var one = jobs.Single(j => j.Name == "imred run --threads 1");
        var two = jobs.SingleOrDefault(j => j.Name == "imred run --threads 2");
        var floor = jobs.Single(j => j.Kind == "floor");
        double Wall(Job j) => Stats.Median(j.Costs.Select(c => c.Wall));
        double numpyWall = Wall(numpy);

        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Measured {began:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {loadBefore} before, {loadAfter} after; " +
                      $"{size}² LSST exposure, {inputBytes / 1e6:F1} MB; add → average, cells {Cell}/{Step}/{Border}; median of {runs} rounds (min–max), whole processes in turn.");
        sb.AppendLine();
        sb.AppendLine("| job | wall s | CPU s | peak RSS MiB | read s | grid s | map s | reduce s | write s | map+reduce s | numpy wall / this |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var j in jobs)
        {
            var walls = j.Costs.Select(c => c.Wall).ToList();
            bool phases = j.Kind is "imred" or "numpy" or "numpy-sha";
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {j.Name} | {F(Stats.Median(walls))} ({F(walls.Min())}–{F(walls.Max())}) | {F(Stats.Median(j.Costs.Select(c => c.Cpu)))} | {F(Stats.Median(j.Costs.Select(c => c.PeakRssMib)), "F0")} " +
                $"| {F(j.Kind == "start" ? double.NaN : Phase(j, "read_s"))} | {F(j.Kind.StartsWith("numpy", StringComparison.Ordinal) ? Phase(j, "grid_s") : double.NaN)} | {F(phases ? Phase(j, "map_s") : double.NaN)} " +
                $"| {F(phases ? Phase(j, "reduce_s") : double.NaN)} | {F(j.Kind == "start" ? double.NaN : Phase(j, "write_s"))} | {F(phases ? MapReduce(j) : double.NaN)} | {F(numpyWall / Stats.Median(walls), "F2")}× |");
        }
        double floorWall = Wall(floor), oursWall = Wall(ours);
        double numpyMr = MapReduce(numpy), oneMr = MapReduce(one);
        double warmNumpyMr = D(warmNumpy, "warm_map_s") + D(warmNumpy, "warm_reduce_s");
        double warmOne = warmEngine.One, warmAll = warmEngine.All;
        sb.AppendLine();
        sb.AppendLine("| goal | measured | goal |");
        sb.AppendLine("|---|---:|---:|");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| whole job: numpy script wall / `imred run` wall (default threads) | {F(numpyWall / oursWall, "F2")}× | ≥ 8× |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| whole job, the same work: the script with the SHA-256 of input and output (imred's metadata records both; script's `sha256_s` {F(Phase(numpySha, "sha256_s"))} s) / `imred run` | {F(Wall(numpySha) / oursWall, "F2")}× | (≥ 8×) |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| whole job: `imred run` wall / floor wall | {F(oursWall / floorWall, "F2")}× | ≤ 1.5× |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| the same command inside a running process (no runtime start; warm: no JIT, memory reused): first run {F(inProcess.First)} s, warm {F(inProcess.Warm)} s ({F(inProcess.WarmCpu)} CPU s) = numpy script wall / warm | {F(numpyWall / inProcess.Warm, "F2")}× | (what start-up, JIT and fresh memory cost: {F(oursWall - inProcess.Warm)} s of {F(oursWall)}) |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| fresh process, map+reduce: numpy / `--threads 1` (grid outside both) | {F(numpyMr / oneMr, "F1")}× ({F(numpyMr)} / {F(oneMr)} s) | ≥ 25× |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| warm, map+reduce: numpy (same process, median of {warm}) / engine 1 thread (pooled planes) | {F(warmNumpyMr / warmOne, "F1")}× ({F(warmNumpyMr)} / {F(warmOne)} s) | ≥ 40× |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| warm, map+reduce: numpy / engine 1 thread, output in the input's planes (`RunInPlace`, as `imred run` and the whole-exposure activity build it) | {F(warmNumpyMr / warmEngine.InPlaceOne, "F1")}× ({F(warmNumpyMr)} / {F(warmEngine.InPlaceOne)} s) | ≥ 40× |");
        if (two is not null)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| `--threads 2` / `--threads 1`, map+reduce (fresh process) | {F(oneMr / MapReduce(two), "F2")}× | ≥ 1.8× |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| `--threads 2` / `--threads 1`, whole-job wall | {F(Wall(one) / Wall(two), "F2")}× | ≥ 1.8× (compute) |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| warm engine, all cores / 1 thread, map+reduce | {F(warmOne / warmAll, "F2")}× ({F(warmAll)} s) | ≥ 1.8× |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| warm engine in the input's planes, all cores / 1 thread, map+reduce | {F(warmEngine.InPlaceOne / warmEngine.InPlaceAll, "F2")}× ({F(warmEngine.InPlaceAll)} s) | ≥ 1.8× |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| ceiling of the warm run in place on two cores: two independent 1-thread runs at once, each on its own copy (nothing shared but the machine), {F(warmEngine.Together)} s each against {F(warmEngine.Alone)} s alone: 2 × alone / together | {F(2 * warmEngine.Alone / warmEngine.Together, "F2")}× | - |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| ceiling of a split that costs nothing: the exposure's top and bottom halves run in place at once, one thread each, own grids, nothing shared or waited for ({F(warmEngine.Split.Halves)} s) against the whole on one thread ({F(warmEngine.Split.Whole)} s) | {F(warmEngine.Split.Whole / warmEngine.Split.Halves, "F2")}× | - |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| CPU seconds of the warm run in place (all threads): all cores / 1 thread, for the same work ({F(warmEngine.InPlaceAllCpu)} against {F(warmEngine.InPlaceOneCpu)} s; 1.00× if each core did its half as fast as one core does the whole) | {F(warmEngine.InPlaceAllCpu / warmEngine.InPlaceOneCpu, "F2")}× | - |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| the same warm run in place with a compute-bound mapper (`{HeavyMapper}`, a clipped background fit per cell; median of {HeavyRuns}), all cores / 1 thread: what the pipeline allows when memory is not the limit | {F(warmEngine.HeavyOne / warmEngine.HeavyAll, "F2")}× ({F(warmEngine.HeavyOne)} / {F(warmEngine.HeavyAll)} s) | - |");
        }
        string mb = F(inputBytes / 1e6, "F0");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| ceiling: streaming pass {mb} MB → {mb} MB (float + 1, memory already touched), all cores / 1 thread | {F(ceiling.Touched.Ratio, "F2")}× ({F(ceiling.Touched.One)} / {F(ceiling.Touched.Many)} s) | - |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| ceiling: the same pass into new memory (first touch, huge pages advised), all cores / 1 thread | {F(ceiling.Fresh.Ratio, "F2")}× ({F(ceiling.Fresh.One)} / {F(ceiling.Fresh.Many)} s) | - |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| ceiling: compute-bound loop (registers only), all cores / 1 thread | {F(ceiling.Compute.Ratio, "F2")}× ({F(ceiling.Compute.One)} / {F(ceiling.Compute.Many)} s) | - |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| distance between the cores: a cache line handed CPU 0 → CPU 1 → CPU 0 (`CoreDistance`; ~50–80 ns near, ~300 ns far on this VM) | {(coreTrip is { } trip ? F(trip, "F0") + " ns" : "not measured")} | - |");
        // Any map + reduce reads the exposure's planes and writes as many: one streaming pass is its floor on one thread.
        sb.AppendLine(CultureInfo.InvariantCulture, $"| floor of a 1-thread warm map+reduce (the streaming pass, touched memory): numpy warm / it = the most a warm run can reach here | {F(warmNumpyMr / ceiling.Touched.One, "F1")}× ({F(ceiling.Touched.One)} s) | (≥ 40×) |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| floor of a 1-thread fresh map+reduce (the streaming pass into new memory): numpy / it = the most a fresh run can reach here | {F(numpyMr / ceiling.Fresh.One, "F1")}× ({F(ceiling.Fresh.One)} s) | (≥ 25×) |");
        double oursRead = Phase(ours, "read_s"), numpyRead = Phase(numpy, "read_s");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| FITS read with DATASUM/CHECKSUM verification (imred `read_s`; the input's SHA-256 starts before it, during start-up) vs astropy default read (no verification) | {F(inputBytes / 1e6 / oursRead, "F0")} vs {F(inputBytes / 1e6 / numpyRead, "F0")} MB/s = {F(numpyRead / oursRead, "F2")}× | ≥ 1× |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| floor of a read that waits for the input's SHA-256: the hash alone, one core, bytes in memory | {F(sha)} s = {F(inputBytes / 1e6 / sha, "F0")} MB/s ({F(numpyRead / sha, "F2")}× astropy's read) | - |");
        sb.AppendLine(CultureInfo.InvariantCulture, $"| FITS write with CHECKSUM + fsync (imred `write_s`) / floor write + fsync | {F(Phase(ours, "write_s") / Phase(floor, "write_s"), "F2")}× ({F(Phase(ours, "write_s"))} / {F(Phase(floor, "write_s"))} s) | ≤ 1.2× |");
        sb.AppendLine();
        sb.AppendLine("Phases: imred's from its `--json` metadata (`read_s` the parallel read with DATASUM/CHECKSUM verification; the input SHA-256 starts on its own thread " +
                      "when the command line names the input, before the configuration is loaded, and is awaited before the metadata is written, inside the wall time only; `write_s` the parallel encode + CHECKSUM + positional writes, " +
                      "each band's device write started as it is written, the output SHA-256 following the write HDU by HDU from the page cache, and the fsync; " +
                      "the metadata file comes after it, inside the wall time only); the script's from its own clock " +
                      "(`read_s` astropy's default read, `memmap=False`: every plane read from the page cache into a new big-endian array, then `np.ascontiguousarray` " +
                      "to native order, a second pass into a second new array, so the pixels are touched; no verification, no hash; `grid_s` apart; `write_s` astropy with checksum=True, fsync). " +
                      "Wall = process start to exit (interpreter/runtime start and imports included). The script writes no metadata and no PSF HDU, and no SHA-256 unless asked (`--sha256`, the row that says so: hashlib over the input and the written output, after the write). " +
                      "Ceiling rows: `ThreadCeiling` in the bench process after the rounds, the same minute (a streaming pass of the input's size: read one " +
                      "buffer, add 1, write another, 1 MiB chunks over the threads; into memory already touched, and into a fresh mapping whose page faults " +
                      "are inside the time as a fresh process's are; a register-only loop); 1 and all threads alternating, medians; " +
                      "then the round trip of one cache line between a thread pinned to CPU 0 and one pinned to CPU 1, median of 5 batches of 100,000. " +
                      "The two-core ceiling of the warm run in place (`CoRun`, with the warm rows): two threads each run the 1-thread job in place on its own copy " +
                      "of the input at once, alternating with the first running alone; medians of the warm repetitions; a worker splitting one run with another " +
                      "cannot beat a whole run that shares nothing with it. The split ceiling (`SplitInHalves`): the input's top and bottom halves, each with its own grid, run in place by one thread " +
                      "each at once, alternating with the whole run by one thread, medians of the warm repetitions. CPU seconds of the warm runs in place: the process's, read before and after each " +
                      "timed run (any other thread of the bench included: idle once the untimed runs have compiled the code). The compute-bound mapper's rows: the same input, grid, reducer and in-place run with " +
                      $"`{HeavyMapper}` (default options) instead of `add`, one untimed run, then {HeavyRuns} timed, 1 thread then all cores.");
        return sb.ToString();
    }

    private static void UpdateDocs(string root, string table)
    {
        string path = Path.Combine(root, "docs", "benchmarks.md");
        string text = File.ReadAllText(path);
        int a = text.IndexOf(DocsBegin, StringComparison.Ordinal), b = text.IndexOf(DocsEnd, StringComparison.Ordinal);
        if (a < 0 || b < a) throw new InvalidOperationException($"{path} has no {DocsBegin} … {DocsEnd} section to rewrite");
        string updated = text[..(a + DocsBegin.Length)] + "\n" + table + "\n" + text[b..];
        string temp = path + ".tmp";
        File.WriteAllText(temp, updated);
        File.Move(temp, path, overwrite: true);
        Console.WriteLine($"process: table written to {path}");
    }

    private static string Publish(string root, string output)
    {
        Console.WriteLine($"process: publishing imred (dotnet publish -c Release -r {System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier}) to {output} …");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        // For this machine's runtime identifier, as a user publishes it: that is what makes it native on linux-x64 (with the
        // managed build beside it) and ReadyToRun elsewhere (see the project file).
        foreach (string a in new[] { "publish", Path.Combine(root, "src", "ImageReducer.Cli", "ImageReducer.Cli.csproj"), "-c", "Release",
                     "-r", System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier, "-o", output, "--nologo", "-v", "q" })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"dotnet publish failed ({p.ExitCode}): {stdout}{err.Result}");
        return Path.Combine(output, "ImageReducer.Cli");
    }

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "ImageReducer.sln"))) return d.FullName;
        throw new InvalidOperationException($"no ImageReducer.sln above {AppContext.BaseDirectory}");
    }

    private static JsonElement LastJson(string stdout)
    {
        // imred --json prints one indented document; the script and the floor one line.
        string text = stdout.Trim();
        int start = text.StartsWith('{') ? 0 : text.LastIndexOf("\n{", StringComparison.Ordinal) + 1;
        return JsonDocument.Parse(text[start..]).RootElement.Clone();
    }

    private static void Clean(string? output)
    {
        if (output is null) return;
        File.Delete(output);
        File.Delete(output + ".json");
        File.Delete(output + ".metadata.json");
    }
}

/// <summary>Order statistics the suites report.</summary>
internal static class Stats
{
    /// <summary>The median of the non-NaN values, or NaN when there are none.</summary>
    public static double Median(IEnumerable<double> values)
    {
        double[] v = [.. values.Where(x => !double.IsNaN(x)).Order()];
        if (v.Length == 0) return double.NaN;
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }
}
