using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using ImageReducer.Engine;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Gridding;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.PointSpread;
using ImageReducer.Engine.Running;
using ImageReducer.Workflow.Reduction;
using ImageReducer.Workflow.Storage;
using ImageReducer.Workflow.Tests.Azurite;

namespace ImageReducer.Bench;

/// <summary>
/// The tiled workflow (Plan → MapTile × N in parallel → Reduce, the steps the Durable activities
/// call) through Azurite against the in-process run (<c>imred run</c>: read file, engine runner,
/// write file), on the same exposure and configuration: wall times, bytes read and written per step,
/// the peak memory of one MapTile (in its own process) and the bytes the Reduce step downloads.
/// The workflow's output is checked byte-identical to the in-process file.
/// </summary>
/// <remarks>
/// Usage: <c>workflow [SIZE] [--tile ROWS] [--parallel N] [--repeat N] [--memory]</c>; defaults 4096,
/// 1024-row tiles, 2 tiles at once, 2 runs of each path after a warm-up of both (JIT, connections),
/// Azurite keeping blobs in files on /dev/shm (its fastest mode here; <c>--memory</c>: in-memory
/// persistence). Grid: cell 41, step 40, border 8 pixels (as the mapreduce suite), mapper add, reduce average.
/// </remarks>
internal sealed class WorkflowSuite : IBenchmarkSuite
{
    public string Name => "workflow";
    public string Description => "tiled workflow through Azurite vs in-process run (time, bytes per step, MapTile peak memory)";

    private static string ConfigJson => """{ "cellSizeX": 41, "cellSizeY": 41, "gridStepX": 40, "gridStepY": 40, "borderSizeX": 8, "borderSizeY": 8, "adjustGridOption": "none", "scaleByFwhm": false, "mapper": { "name": "add", "addAmount": 1 }, "reducer": { "reduceOperation": "average" } }""";

    public int Run(string[] args)
    {
        if (args.Length > 0 && args[0] == "--child-maptile") return ChildMapTile(args[1], BlobPath.Parse(args[2]), int.Parse(args[3], CultureInfo.InvariantCulture));
        int size = 4096, tile = 1024, parallel = 2, repeat = 2;
        bool memory = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--tile": tile = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--parallel": parallel = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--repeat": repeat = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--memory": memory = true; break;
                default:
                    if (!int.TryParse(args[i], NumberStyles.None, CultureInfo.InvariantCulture, out size) || size <= 0)
                    {
                        Console.Error.WriteLine($"workflow: error: unknown argument '{args[i]}' (expected SIZE, --tile ROWS, --parallel N, --repeat N, --memory)");
                        return 2;
                    }
                    break;
            }
        }
        return RunAsync(size, tile, parallel, Math.Max(1, repeat), memory).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(int size, int tileRows, int parallel, int repeat, bool memory)
    {
        bool shm = !memory && OperatingSystem.IsLinux() && Directory.Exists("/dev/shm");
        string persistence = memory ? "in-memory (--inMemoryPersistence)" : shm ? "files on /dev/shm (--location)" : "files in the temp folder (--location)";
        Console.WriteLine($"workflow: {size}×{size}, add → average, cell 41 / step 40 / border 8 px, {tileRows}-row tiles, {parallel} tiles at once, " +
                          $"{Environment.ProcessorCount} cores, Azurite {persistence}; .NET {Environment.Version}; {repeat} runs of each, after a warm-up of both");
        Console.WriteLine($"load average at start: {Machine.Load()}");
        string dir = Directory.CreateTempSubdirectory("imred-workflow-bench-").FullName;
        try
        {
            string inputFile = Path.Combine(dir, "input.fits"), outputFile = Path.Combine(dir, "output.fits");
            string warmFile = Path.Combine(dir, "warm.fits"), warmOutput = Path.Combine(dir, "warm-out.fits");
            WriteInput(size, inputFile);
            WriteInput(256, warmFile);
            long fileBytes = new FileInfo(inputFile).Length;

            await using AzuriteServer azurite = await AzuriteServer.StartNewAsync(persistent: !memory, dataRoot: shm ? "/dev/shm" : null);
            var store = new AzureBlobStore(azurite.ConnectionString);
            var input = new BlobPath("bench", "input.fits");
            var warmInput = new BlobPath("bench", "warm.fits");
            await using (FileStream f = File.OpenRead(warmFile)) await store.WriteAsync(warmInput, f, overwrite: true);
            var floorClock = Stopwatch.StartNew();
            await using (FileStream f = File.OpenRead(inputFile)) await store.WriteAsync(input, f, overwrite: true);
            double upload = floorClock.Elapsed.TotalSeconds;

            // Warm-up: both paths once on a small exposure, so neither measurement below pays for JIT or first connections.
            InProcess(warmFile, warmOutput);
            await WorkflowAsync(store, warmInput, new BlobPath("bench", "warm-out.fits"), 64, parallel, null);

            var runs = new List<(double InProcess, double Workflow, string Load, Measured Detail)>();
            string? expectedSha = null;
            Dictionary<string, JsonElement>? child = null;
            bool fits3x = false;
            long limit = 3L * size * Math.Min(tileRows, size) * 12;
            for (int r = 0; r < repeat; r++)
            {
                string load = Machine.Load();
                double inProcess = InProcess(inputFile, outputFile);
                expectedSha ??= Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(outputFile)));
                var output = new BlobPath("bench", $"output-{r}.fits");
                Measured m = await WorkflowAsync(store, input, output, tileRows, parallel, r > 0 ? null : plan =>
                {
                    // One MapTile alone in a fresh process: its peak resident memory (restaging the same blocks is idempotent);
                    // then the same tile under a GC heap hard limit of 3× its pixel bytes: does it fit?
                    child = ReadJson(ChildStart(azurite.ConnectionString, plan.Plan!, plan.TileCount / 2, null));
                    try
                    {
                        fits3x = ReadJson(ChildStart(azurite.ConnectionString, plan.Plan!, plan.TileCount / 2, limit))["ok"].GetBoolean();
                    }
                    catch (InvalidOperationException)
                    {
                        fits3x = false;
                    }
                });
                string actualSha = Convert.ToHexStringLower(SHA256.HashData(await ReadAllAsync(store, output)));
                if (actualSha != expectedSha || m.Summary.OutputSha256 != expectedSha)
                {
                    Console.WriteLine($"run {r + 1}: output NOT identical to in-process (sha256 {actualSha[..16]}…, metadata {m.Summary.OutputSha256?[..16]}…, expected {expectedSha[..16]}…)");
                    return 1;
                }
                runs.Add((inProcess, m.Total, load, m));
            }

            // The floor: the same bytes through the same store with no workflow around them — the input read
            // once in 8 MiB ranges 4 at once (what the tiles read), the output staged once in 4 MiB blocks 2 at
            // once with MD5 (what the tiles write) and read once more (what the SHA-256 reads).
            byte[] outputBytes = File.ReadAllBytes(outputFile);
            floorClock.Restart();
            await ParallelReadAsync(store, input, fileBytes);
            double floorRead = floorClock.Elapsed.TotalSeconds;
            floorClock.Restart();
            var floorOutput = new BlobPath("bench", "floor-output.fits");
            await StageAllAsync(store, floorOutput, outputBytes);
            double floorWrite = floorClock.Elapsed.TotalSeconds;
            floorClock.Restart();
            await ParallelReadAsync(store, floorOutput, outputBytes.Length);
            double floorReadBack = floorClock.Elapsed.TotalSeconds;

            var best = runs.MinBy(x => x.Workflow);
            Measured d = best.Detail;
            long tilePixelBytes = (long)size * Math.Min(tileRows, size) * 12;
            double mib = 1 << 20;
            Console.WriteLine();
            Console.WriteLine("| run | load (1 min) before | in-process s | workflow s | ratio |");
            Console.WriteLine("|---:|---|---:|---:|---:|");
            for (int r = 0; r < runs.Count; r++)
                Console.WriteLine($"| {r + 1} | {runs[r].Load} | {runs[r].InProcess:F2} | {runs[r].Workflow:F2} | {runs[r].Workflow / runs[r].InProcess:F2}× |");
            Console.WriteLine();
            Console.WriteLine($"fastest workflow run ({runs.IndexOf(best) + 1}), step by step:");
            Console.WriteLine();
            Console.WriteLine($"| step | wall s | bytes read | bytes written |");
            Console.WriteLine($"|---|---:|---:|---:|");
            Console.WriteLine($"| in-process (imred run: file → engine → file), same run | {best.InProcess:F2} | {fileBytes / mib:F1} MiB | {outputBytes.Length / mib:F1} MiB |");
            Console.WriteLine($"| Plan | {d.Plan:F2} | {d.PlanSummary.InputBytesRead / 1024.0:F1} KiB | {d.PlanBytes / 1024.0:F1} KiB (plan.json + tile plans) |");
            Console.WriteLine($"| MapTile × {d.Tiles.Length} ({parallel} at once) | {d.Map:F2} | {d.Tiles.Sum(t => t.BytesRead) / mib:F1} MiB | {d.Tiles.Sum(t => t.BytesWritten) / mib:F1} MiB (staged blocks + side results) |");
            foreach (TileResult t in d.Tiles)
                Console.WriteLine($"|   tile {t.Index} ({t.CellsMapped} cells; read {t.ReadSeconds:F2} s, map {t.MapSeconds:F2} s, stage {t.StageSeconds:F2} s) | {t.Seconds:F2} | {t.BytesRead / mib:F1} MiB | {t.BytesWritten / mib:F1} MiB |");
            Console.WriteLine($"| Reduce (stage headers, commit block list, SHA-256 read-back {d.Summary.OutputHashSeconds:F2} s) | {d.Reduce:F2} | {d.Summary.ReduceBytesRead / 1024.0:F1} KiB + {d.Summary.OutputBytes / mib:F1} MiB hashed | |");
            Console.WriteLine($"| workflow total | {d.Total:F2} | | |");
            Console.WriteLine();
            var ratios = runs.Select(x => x.Workflow / x.InProcess).Order().ToArray();
            double bestIn = runs.Min(x => x.InProcess), bestWorkflow = runs.Min(x => x.Workflow);
            Console.WriteLine($"fastest of each path (the least disturbed by other load): in-process {bestIn:F2} s, workflow {bestWorkflow:F2} s: {bestWorkflow / bestIn:F2}×");
            Console.WriteLine($"workflow / in-process wall time, run by run: best {ratios[0]:F2}×, median {ratios[ratios.Length / 2]:F2}×, worst {ratios[^1]:F2}× (goal ≤ 2×); " +
                              $"without the SHA-256 read-back: {(d.Total - d.Summary.OutputHashSeconds) / best.InProcess:F2}× (fastest run)");
            Console.WriteLine($"Azurite floor (same store, no workflow): input upload {upload:F2} s; read of the input {floorRead:F2} s + staging of the output {floorWrite:F2} s " +
                              $"+ read-back of the output {floorReadBack:F2} s = {floorRead + floorWrite + floorReadBack:F2} s of transfers the workflow cannot avoid");
            Console.WriteLine($"one MapTile (tile {d.PlanSummary.TileCount / 2}, own process; its tile's pixel bytes {tilePixelBytes / mib:F0} MiB; goal ≤ 3×):");
            if (child is not null)
            {
                double peak = child["peakRssMb"].GetDouble() - child["baselineRssMb"].GetDouble();
                double warmPeak = child["warmPeakRssMb"].GetDouble() - child["warmBaselineRssMb"].GetDouble();
                Console.WriteLine($"  cold (first activity of a fresh worker): peak RSS growth {peak:F0} MiB = {peak * mib / tilePixelBytes:F2}×; process peak {child["peakRssMb"].GetDouble():F0} MiB; managed heap growth {child["managedMb"].GetDouble():F0} MiB");
                Console.WriteLine($"  warm (next activity in the same worker):  peak RSS growth {warmPeak:F0} MiB = {warmPeak * mib / tilePixelBytes:F2}×; process peak {child["warmPeakRssMb"].GetDouble():F0} MiB");
            }
            Console.WriteLine($"  under a GC heap hard limit of 3× its pixel bytes ({limit / mib:F0} MiB): {(fits3x ? "completes" : "fails (out of memory)")}");
            Console.WriteLine($"Reduce downloads {d.Summary.ReduceBytesRead / 1024.0:F1} KiB to build a {d.Summary.OutputBytes / mib:F1} MiB output ({100.0 * d.Summary.ReduceBytesRead / d.Summary.OutputBytes:F3}%), then reads it once for its SHA-256");
            Console.WriteLine($"output identical to in-process in every run: yes (sha256 {expectedSha![..16]}…, as recorded in the metadata)");
            Console.WriteLine($"load average at end: {Machine.Load()}");
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>What one workflow run measured.</summary>
    private sealed record Measured(double Plan, double Map, double Reduce, PlanSummary PlanSummary, long PlanBytes, TileResult[] Tiles, ReductionSummary Summary)
    {
        public double Total => Plan + Map + Reduce;
    }

    /// <summary>Plan → MapTile × N (<paramref name="parallel"/> at once) → Reduce, as the orchestrator runs them.</summary>
    /// <param name="beforeReduce">Runs between the tiles and Reduce, outside the timings (the memory children need the plan).</param>
    private static async Task<Measured> WorkflowAsync(AzureBlobStore store, BlobPath input, BlobPath output, int tileRows, int parallel,
        Action<PlanSummary>? beforeReduce)
    {
        var services = ReductionServices.Create(store);
        var clock = Stopwatch.StartNew();
        var (_, plan) = await new PlanStep(services).RunAsync(new ReductionRequest(input, output, Engine.Config.ConfigJson.Deserialize(ConfigJson), tileRows));
        double planSeconds = clock.Elapsed.TotalSeconds;
        long planBytes = 0;
        await foreach (BlobInfo b in store.ListAsync(plan.Plan!.Container, plan.Plan.Name[..(plan.Plan.Name.LastIndexOf('/') + 1)])) planBytes += b.Size;

        clock.Restart();
        var tiles = new TileResult[plan.TileCount];
        var mapTile = new MapTileStep(services);
        await Parallel.ForAsync(0, plan.TileCount, new ParallelOptions { MaxDegreeOfParallelism = parallel },
            async (t, ct) => tiles[t] = await mapTile.RunAsync(new TileTask(plan.Plan!, t), ct));
        double mapSeconds = clock.Elapsed.TotalSeconds;
        beforeReduce?.Invoke(plan);

        clock.Restart();
        ReductionSummary summary = await new ReduceStep(services).RunAsync(new ReduceTask(plan.Plan!, plan.TileCount));
        double reduceSeconds = clock.Elapsed.TotalSeconds;
        if (summary.Status != ReductionStatus.Succeeded) throw new InvalidOperationException($"the workflow failed: {summary.Error}");
        return new Measured(planSeconds, mapSeconds, reduceSeconds, plan, planBytes, tiles, summary);
    }

    /// <summary>The in-process run as <c>imred run</c> does it: read the file, run the engine, write the file; seconds.</summary>
    private static double InProcess(string inputFile, string outputFile)
    {
        var clock = Stopwatch.StartNew();
        MapReduceConfig config = Engine.Config.ConfigJson.Deserialize(ConfigJson);
        using (Exposure exposure = ExposureFits.Read(inputFile))
        {
            var runner = new MapReduceRunner(new MapperRegistry().Create(config.Mapper), config.Reducer);
            using Exposure reduced = runner.Run(exposure, GridBuilder.Build(exposure, config)).Reduced.Exposure!;
            ExposureFits.Write(reduced, outputFile);
        }
        return clock.Elapsed.TotalSeconds;
    }

    private static async Task ParallelReadAsync(IBlobStore store, BlobPath path, long length)
    {
        const int range = 8 << 20;
        int count = (int)((length + range - 1) / range);
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
        {
            byte[] buffer = new byte[(int)Math.Min(range, length - (long)i * range)];
            await store.ReadIntoAsync(path, (long)i * range, buffer, null, ct);
        });
    }

    private static async Task StageAllAsync(IBlobStore store, BlobPath path, byte[] bytes)
    {
        int count = (bytes.Length + OutputBlocks.PartBytes - 1) / OutputBlocks.PartBytes;
        string[] ids = [.. Enumerable.Range(0, count).Select(i => BlockIds.FromLabel($"floor-{i:D6}"))];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = MapTileStep.StageConcurrency }, async (i, ct) =>
        {
            int at = i * OutputBlocks.PartBytes;
            using var content = new MemoryStream(bytes, at, Math.Min(OutputBlocks.PartBytes, bytes.Length - at), writable: false, publiclyVisible: true);
            await store.StageBlockAsync(path, ids[i], content, ct);
        });
        await store.CommitBlocksAsync(path, ids, overwrite: true);
    }

    /// <summary>A SIZE² exposure of uniform noise, unit variance, zero mask and a Gaussian PSF, written in the reference layout.</summary>
    internal static void WriteInput(int size, string path)
    {
        using var exposure = new Exposure(new Box(0, 0, size, size), new GaussianPsf(11, 11, 2.0));
        var random = new Random(1);
        for (int y = 0; y < size; y++)
        {
            var image = exposure.Image.Row(y);
            for (int x = 0; x < size; x++) image[x] = (float)random.NextDouble();
            exposure.Variance.Row(y).Fill(1f);
        }
        ExposureFits.Write(exposure, path);
    }

    private static int ChildMapTile(string connectionString, BlobPath plan, int tile)
    {
        var store = new AzureBlobStore(connectionString);
        var step = new MapTileStep(ReductionServices.Create(store));
        // Cold: the first activity of a fresh worker (JIT, SDK and pools warm up inside the measurement).
        double coldBaseline = Machine.StatusMib("VmRSS");
        TileResult cold = step.RunAsync(new TileTask(plan, tile)).GetAwaiter().GetResult();
        double coldPeak = Machine.StatusMib("VmHWM");
        // Warm: the same activity again in the same worker, as a Functions host runs activity after
        // activity; the peak is reset (clear_refs 5) after a full collection.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        double warmBaseline = Machine.StatusMib("VmRSS");
        Machine.ResetPeakRss();
        TileResult warm = step.RunAsync(new TileTask(plan, tile)).GetAwaiter().GetResult();
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["baselineRssMb"] = coldBaseline,
            ["peakRssMb"] = coldPeak,
            ["warmBaselineRssMb"] = warmBaseline,
            ["warmPeakRssMb"] = Machine.StatusMib("VmHWM"),
            ["managedMb"] = cold.PeakManagedBytes / 1048576.0,
            ["ok"] = cold.Succeeded && warm.Succeeded,
        }));
        return cold.Succeeded && warm.Succeeded ? 0 : 1;
    }

    private static ProcessStartInfo ChildStart(string connectionString, BlobPath plan, int tile, long? heapLimit)
    {
        string self = Environment.ProcessPath!;
        var psi = new ProcessStartInfo(self) { RedirectStandardOutput = true };
        if (heapLimit is { } l) psi.Environment["DOTNET_GCHeapHardLimit"] = "0x" + l.ToString("X", CultureInfo.InvariantCulture);
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") psi.ArgumentList.Add(typeof(WorkflowSuite).Assembly.Location);
        foreach (var a in new[] { "workflow", "--child-maptile", connectionString, plan.ToString(), tile.ToString(CultureInfo.InvariantCulture) }) psi.ArgumentList.Add(a);
        return psi;
    }

    private static Dictionary<string, JsonElement> ReadJson(ProcessStartInfo psi)
    {
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start the MapTile child");
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"the MapTile child failed with exit code {p.ExitCode}: {output}");
        return JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last())!;
    }

    private static async Task<byte[]> ReadAllAsync(IBlobStore store, BlobPath path)
    {
        await using Stream s = await store.OpenReadAsync(path);
        using var buffer = new MemoryStream();
        await s.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
