using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using ImageReducer.Engine;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Grid;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.Psf;
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
/// Usage: <c>workflow [SIZE] [--tile ROWS] [--parallel N]</c>; defaults 4096, 1024-row tiles, 2 tiles at
/// once. Grid: cell 41, step 40, border 8 pixels (as the mapreduce suite), mapper add, reduce average.
/// </remarks>
internal sealed class WorkflowSuite : IBenchmarkSuite
{
    public string Name => "workflow";
    public string Description => "tiled workflow through Azurite vs in-process run (time, bytes per step, MapTile peak memory)";

    private static string ConfigJson => """{ "cellSizeX": 41, "cellSizeY": 41, "gridStepX": 40, "gridStepY": 40, "borderSizeX": 8, "borderSizeY": 8, "adjustGridOption": "none", "scaleByFwhm": false, "mapper": { "name": "add", "addAmount": 1 }, "reducer": { "reduceOperation": "average" } }""";

    public int Run(string[] args)
    {
        if (args.Length > 0 && args[0] == "--child-maptile") return ChildMapTile(args[1], BlobPath.Parse(args[2]), int.Parse(args[3], CultureInfo.InvariantCulture));
        int size = 4096, tile = 1024, parallel = 2;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--tile": tile = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--parallel": parallel = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default:
                    if (!int.TryParse(args[i], NumberStyles.None, CultureInfo.InvariantCulture, out size) || size <= 0)
                    {
                        Console.Error.WriteLine($"workflow: error: unknown argument '{args[i]}' (expected SIZE, --tile ROWS, --parallel N)");
                        return 2;
                    }
                    break;
            }
        }
        return RunAsync(size, tile, parallel).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(int size, int tileRows, int parallel)
    {
        Console.WriteLine($"workflow: {size}×{size}, add → average, cell 41 / step 40 / border 8 px, {tileRows}-row tiles, {parallel} tiles at once, " +
                          $"{Environment.ProcessorCount} cores, Azurite (in-memory); .NET {Environment.Version}");
        string dir = Directory.CreateTempSubdirectory("imred-workflow-bench-").FullName;
        try
        {
            string inputFile = Path.Combine(dir, "input.fits"), outputFile = Path.Combine(dir, "output.fits");
            WriteInput(size, inputFile);
            long fileBytes = new FileInfo(inputFile).Length;

            // In-process, as imred run does it: read the file, run the engine, write the file.
            var clock = Stopwatch.StartNew();
            MapReduceConfig config = Engine.Config.ConfigJson.Deserialize(ConfigJson);
            using (Exposure exposure = ExposureFits.Read(inputFile))
            {
                var runner = new MapReduceRunner(new MapperRegistry().Create(config.Mapper), config.Reducer);
                using Exposure reduced = runner.Run(exposure, GridBuilder.Build(exposure, config)).Reduced.Exposure!;
                ExposureFits.Write(reduced, outputFile);
            }
            double inProcess = clock.Elapsed.TotalSeconds;
            string expectedSha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(outputFile)));

            await using AzuriteServer azurite = await AzuriteServer.StartNewAsync(persistent: false);
            var store = new AzureBlobStore(azurite.ConnectionString);
            var input = new BlobPath("bench", "input.fits");
            var output = new BlobPath("bench", "output.fits");
            var floorClock = Stopwatch.StartNew();
            await using (FileStream f = File.OpenRead(inputFile)) await store.WriteAsync(input, f, overwrite: true);
            double upload = floorClock.Elapsed.TotalSeconds;
            floorClock.Restart();
            long downloaded = (await ReadAllAsync(store, input)).LongLength;
            double download = floorClock.Elapsed.TotalSeconds;

            var services = ReductionServices.Create(store);
            var planClock = Stopwatch.StartNew();
            var (_, plan) = await new PlanStep(services).RunAsync(new ReductionRequest(input, output, ConfigJson, tileRows));
            double planSeconds = planClock.Elapsed.TotalSeconds;
            long planBytes = (await store.GetPropertiesAsync(plan.Plan!)).Size;

            var mapClock = Stopwatch.StartNew();
            var tiles = new TileResult[plan.TileCount];
            var mapTile = new MapTileStep(services);
            await Parallel.ForAsync(0, plan.TileCount, new ParallelOptions { MaxDegreeOfParallelism = parallel },
                async (t, ct) => tiles[t] = await mapTile.RunAsync(new TileTask(plan.Plan!, t), ct));
            double mapSeconds = mapClock.Elapsed.TotalSeconds;

            // One MapTile alone in a fresh process: its peak resident memory (restaging the same blocks is idempotent).
            var child = ReadJson(ChildStart(azurite.ConnectionString, plan.Plan!, plan.TileCount / 2, null));
            // The same tile under a GC heap hard limit of 3× its pixel bytes: does it fit?
            long limit = 3L * size * Math.Min(tileRows, size) * 12;
            bool fits3x;
            try
            {
                fits3x = ReadJson(ChildStart(azurite.ConnectionString, plan.Plan!, plan.TileCount / 2, limit))["ok"].GetBoolean();
            }
            catch (InvalidOperationException)
            {
                fits3x = false;
            }

            var reduceClock = Stopwatch.StartNew();
            ReductionSummary summary = await new ReduceStep(services).RunAsync(new ReduceTask(plan.Plan!, tiles));
            double reduceSeconds = reduceClock.Elapsed.TotalSeconds;
            double workflow = planSeconds + mapSeconds + reduceSeconds; // the child MapTile run above is not part of the workflow

            string actualSha = Convert.ToHexStringLower(SHA256.HashData(await ReadAllAsync(store, output)));
            long tilePixelBytes = (long)size * Math.Min(tileRows, size) * 12;
            double mib = 1 << 20;
            Console.WriteLine();
            Console.WriteLine($"| step | wall s | bytes read | bytes written |");
            Console.WriteLine($"|---|---:|---:|---:|");
            Console.WriteLine($"| in-process (imred run: file → engine → file) | {inProcess:F2} | {fileBytes / mib:F1} MiB | {new FileInfo(outputFile).Length / mib:F1} MiB |");
            Console.WriteLine($"| Plan | {planSeconds:F2} | {plan.InputBytesRead / 1024.0:F1} KiB | {planBytes / 1024.0:F1} KiB (plan.json) |");
            Console.WriteLine($"| MapTile × {tiles.Length} ({parallel} at once) | {mapSeconds:F2} | {tiles.Sum(t => t.BytesRead) / mib:F1} MiB | {tiles.Sum(t => t.BytesWritten) / mib:F1} MiB (staged blocks + side results) |");
            foreach (TileResult t in tiles)
                Console.WriteLine($"|   tile {t.Index} ({t.CellsMapped} cells; read {t.ReadSeconds:F2} s, map {t.MapSeconds:F2} s, stage {t.StageSeconds:F2} s) | {t.Seconds:F2} | {t.BytesRead / mib:F1} MiB | {t.BytesWritten / mib:F1} MiB |");
            Console.WriteLine($"| Reduce (stage headers + commit block list) | {reduceSeconds:F2} | {summary.ReduceBytesRead / 1024.0:F1} KiB | {(summary.OutputBytes - tiles.Sum(t => (long)t.BlockCount > 0 ? t.BytesWritten : 0)) / 1024.0:F1} KiB approx. |");
            Console.WriteLine($"| workflow total | {workflow:F2} | | |");
            Console.WriteLine();
            Console.WriteLine($"workflow / in-process wall time: {workflow / inProcess:F2}× (goal ≤ 2×)");
            Console.WriteLine($"Azurite floor on this machine: upload of the input {upload:F2} s, download {download:F2} s ({downloaded / mib:F0} MiB each way); " +
                              $"the workflow moves the input in and the output out once: {(upload + download) :F2} s of its {workflow:F2} s is that transfer's cost at Azurite's speed");
            double peak = child["peakRssMb"].GetDouble() - child["baselineRssMb"].GetDouble();
            double warmPeak = child["warmPeakRssMb"].GetDouble() - child["warmBaselineRssMb"].GetDouble();
            Console.WriteLine($"one MapTile (tile {plan.TileCount / 2}, own process; its tile's pixel bytes {tilePixelBytes / mib:F0} MiB; goal ≤ 3×):");
            Console.WriteLine($"  cold (first activity of a fresh worker): peak RSS growth {peak:F0} MiB = {peak * mib / tilePixelBytes:F2}×; process peak {child["peakRssMb"].GetDouble():F0} MiB; managed heap growth {child["managedMb"].GetDouble():F0} MiB");
            Console.WriteLine($"  warm (next activity in the same worker):  peak RSS growth {warmPeak:F0} MiB = {warmPeak * mib / tilePixelBytes:F2}×; process peak {child["warmPeakRssMb"].GetDouble():F0} MiB");
            Console.WriteLine($"  under a GC heap hard limit of 3× its pixel bytes ({limit / mib:F0} MiB): {(fits3x ? "completes" : "fails (out of memory)")}");
            Console.WriteLine($"Reduce downloads {summary.ReduceBytesRead / 1024.0:F1} KiB of a {summary.OutputBytes / mib:F1} MiB output ({100.0 * summary.ReduceBytesRead / summary.OutputBytes:F3}%)");
            Console.WriteLine($"output identical to in-process: {(actualSha == expectedSha ? "yes" : "NO")} (sha256 {actualSha[..16]}…)");
            return actualSha == expectedSha ? 0 : 1;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void WriteInput(int size, string path)
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
        double coldBaseline = Rss("VmRSS");
        TileResult cold = step.RunAsync(new TileTask(plan, tile)).GetAwaiter().GetResult();
        double coldPeak = Rss("VmHWM");
        // Warm: the same activity again in the same worker, as a Functions host runs activity after
        // activity; the peak is reset (clear_refs 5) after a full collection.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        double warmBaseline = Rss("VmRSS");
        File.WriteAllText("/proc/self/clear_refs", "5");
        TileResult warm = step.RunAsync(new TileTask(plan, tile)).GetAwaiter().GetResult();
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["baselineRssMb"] = coldBaseline,
            ["peakRssMb"] = coldPeak,
            ["warmBaselineRssMb"] = warmBaseline,
            ["warmPeakRssMb"] = Rss("VmHWM"),
            ["managedMb"] = cold.PeakManagedBytes / 1048576.0,
            ["ok"] = cold.Succeeded && warm.Succeeded,
        }));
        return cold.Succeeded && warm.Succeeded ? 0 : 1;
    }

    /// <summary>A /proc/self/status memory line in MiB.</summary>
    private static double Rss(string key)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(key + ":", StringComparison.Ordinal))
                return double.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
        return double.NaN;
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
