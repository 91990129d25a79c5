using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ImageReducer.Engine;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Gridding;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.Mapping.Auxiliary;
using ImageReducer.Engine.Mapping.Mappers;
using ImageReducer.Engine.PointSpread;
using ImageReducer.Engine.Reducing;
using ImageReducer.Engine.Running;
using ImageReducer.TestSupport;

namespace ImageReducer.Bench;

/// <summary>
/// <c>decorrelateAL</c> and <c>zogy</c> on one exposure with the grid LSST's spatially varying decorrelation uses
/// (41-px cells every 40 px, 8-px border, forceEvenSized, average), side by side with their numpy ports
/// (bench/diffim/diffim_numpy.py over the shared baseline, run exactly as the parity tests run them).
/// </summary>
/// <remarks>
/// <para>Warm: the engine's runner in this process on exposures already in memory (map + stitch), 1 thread and all
/// cores, median of the runs; the numpy port's map + reduce on arrays already in memory (its own timer), best of
/// the runs (numpy's FFTs are single-threaded, as LSST's mapper loop is). Whole: an <c>imred run</c> process (read
/// of the main and auxiliary files, map, reduce, write, checksums) against the port's process (Python start,
/// imports, astropy reads, map, reduce, write), wall clock and peak RSS by /usr/bin/time, median of the runs.</para>
/// <para>Usage: <c>diffim [SIZE=4096] [--mapper decorrelateAL|zogy|both] [--runs 3] [--numpy-runs N (default: runs; the port is the slow side)] [--imred PATH|--no-process] [--no-numpy]</c>.</para>
/// </remarks>
public sealed class DiffimSuite : IBenchmarkSuite
{
    public string Name => "diffim";
    public string Description => "decorrelateAL / zogy per 4096² (LSST 41/40/8 grid) vs their numpy ports, warm and whole process [SIZE] [--mapper M] [--runs N] [--numpy-runs N] [--imred PATH|--no-process] [--no-numpy]";

    public int Run(string[] args)
    {
        int size = 4096, runs = 3, numpyRuns = -1;
        string which = "both";
        string? imred = null;
        bool process = true, numpy = true;
        if (args is ["--write-demo", var demoDir, ..])
        {
            Inputs.WriteDemo(Path.GetFullPath(demoDir), args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 256);
            return 0;
        }
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--mapper": which = args[++i]; break;
                case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--numpy-runs": numpyRuns = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--imred": imred = Path.GetFullPath(args[++i]); break;
                case "--no-process": process = false; break;
                case "--no-numpy": numpy = false; break;
                default:
                    if (!int.TryParse(args[i], out size) || size < 128)
                    {
                        Console.Error.WriteLine($"diffim: error: unknown argument '{args[i]}'");
                        return 2;
                    }
                    break;
            }
        }
        string root = SharedBench.FindRepositoryRoot() ?? throw new InvalidOperationException("run from the repository");
        string dir = Directory.CreateTempSubdirectory("imred-bench-diffim-").FullName;
        try
        {
            Console.WriteLine($"diffim: {size}² exposure, grid 41/40/8 px forceEvenSized, average; {Environment.ProcessorCount} cores; load {Machine.Load()}");
            var sw = Stopwatch.StartNew();
            Inputs.Write(dir, size);
            Console.WriteLine($"diffim: inputs written in {sw.Elapsed.TotalSeconds:F1} s to {dir}");
            foreach (string mapper in which == "both" ? ["decorrelateAL", "zogy"] : new[] { which })
                Measure(mapper, dir, root, runs, numpyRuns < 1 ? runs : numpyRuns, imred, process, numpy);
            Console.WriteLine($"diffim: load at the end {Machine.Load()}");
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static MapReduceConfig Config(string mapper) => new()
    {
        CellSizeX = 41, CellSizeY = 41, GridStepX = 40, GridStepY = 40, BorderSizeX = 8, BorderSizeY = 8,
        ScaleByFwhm = false, ForceEvenSized = true,
        Mapper = new MapperConfig { Name = mapper },
        Reducer = new ReducerConfig { ReduceOperation = ReduceOperation.Average },
    };

    private static void Measure(string mapperName, string dir, string root, int runs, int numpyRuns, string? imred, bool process, bool numpy)
    {
        bool zogy = mapperName == "zogy";
        string main = Path.Combine(dir, zogy ? "science.fits" : "diff.fits");
        MapReduceConfig config = Config(mapperName);
        IMapper mapper = new MapperRegistry().Create(config.Mapper);
        using Exposure exposure = ExposureFits.Read(main);
        using var aux = new AuxiliaryData(
            zogy ? new Dictionary<string, Exposure> { ["template"] = ExposureFits.Read(Path.Combine(dir, "template.fits")) }
                 : new Dictionary<string, Exposure> { ["science"] = ExposureFits.Read(Path.Combine(dir, "science.fits")), ["template"] = ExposureFits.Read(Path.Combine(dir, "template.fits")) },
            zogy ? null : new Dictionary<string, AuxiliaryKernel> { ["psfMatchingKernel"] = AuxiliaryKernel.Fixed(Inputs.Kernel()) });
        Grid grid = GridBuilder.Build(exposure, config);
        Console.WriteLine($"\n{mapperName}: {grid.Count} cells");
        Console.WriteLine($"{"side",-34} {"wall s",9} {"cpu s",9} {"peak MiB",9} {"per cell ms",12}");
        foreach (int threads in Environment.ProcessorCount > 1 ? [1, Environment.ProcessorCount] : new[] { 1 })
        {
            var runner = new MapReduceRunner(mapper, config.Reducer, new EngineOptions { MaxDegreeOfParallelism = threads });
            var walls = new List<double>();
            var cpus = new List<double>();
            double peak = 0;
            for (int r = 0; r < runs; r++)
            {
                GC.Collect();
                Machine.ResetPeakRss();
                TimeSpan cpu0 = Machine.ProcessCpu();
                var clock = Stopwatch.StartNew();
                runner.Run(exposure, grid, auxiliary: aux).Reduced.Exposure!.Dispose();
                walls.Add(clock.Elapsed.TotalSeconds);
                cpus.Add((Machine.ProcessCpu() - cpu0).TotalSeconds);
                peak = Math.Max(peak, Machine.StatusMib("VmHWM"));
            }
            Row($"engine warm, {threads} thread{(threads > 1 ? "s" : "")}", Median(walls), Median(cpus), peak, grid.Count);
        }
        if (numpy)
        {
            string manifest = Manifest(dir, mapperName, main, grid, zogy);
            string output = Path.Combine(dir, "numpy-out.fits");
            var cost = TimedProcess.Run("/usr/bin/python3", [Path.Combine(root, "bench", "diffim", "diffim_numpy.py"), manifest, output, "--repeat", numpyRuns.ToString(CultureInfo.InvariantCulture)]);
            var report = JsonDocument.Parse(cost.Stdout.Trim().Split('\n')[^1]).RootElement;
            double warm = report.GetProperty("map_s").GetDouble() + report.GetProperty("reduce_s").GetDouble();
            Row("numpy port warm (best), 1 thread", warm, double.NaN, double.NaN, grid.Count);
            if (process)
            {
                var whole = new List<ProcessCost>();
                for (int r = 0; r < numpyRuns; r++) whole.Add(TimedProcess.Run("/usr/bin/python3", [Path.Combine(root, "bench", "diffim", "diffim_numpy.py"), manifest, output]));
                var m = whole.OrderBy(c => c.Wall).ElementAt(whole.Count / 2);
                Row("numpy port whole process", m.Wall, m.Cpu, m.PeakRssMib, grid.Count);
            }
        }
        if (process)
        {
            string[] auxArgs = zogy
                ? ["--aux", $"template={Path.Combine(dir, "template.fits")}"]
                : ["--aux", $"science={Path.Combine(dir, "science.fits")}", "--aux", $"template={Path.Combine(dir, "template.fits")}", "--aux", $"psfMatchingKernel={Path.Combine(dir, "kernel.fits")}"];
            string[] settings = ["--set", $"mapper.name={mapperName}", "--set", "scaleByFwhm=false", "--set", "cellSizeX=41", "--set", "cellSizeY=41",
                "--set", "gridStepX=40", "--set", "gridStepY=40", "--set", "borderSizeX=8", "--set", "borderSizeY=8", "--set", "forceEvenSized=true", .. auxArgs];
            var (file, prefix) = imred is not null ? (imred, Array.Empty<string>())
                : ("dotnet", new[] { Path.Combine(root, "src", "ImageReducer.Cli", "bin", "Release", "net10.0", "ImageReducer.Cli.dll") });
            foreach (int threads in Environment.ProcessorCount > 1 ? [1, Environment.ProcessorCount] : new[] { 1 })
            {
                var whole = new List<ProcessCost>();
                for (int r = 0; r < runs; r++)
                    whole.Add(TimedProcess.Run(file, [.. prefix, "run", main, "-o", Path.Combine(dir, "imred-out.fits"), "--threads", threads.ToString(CultureInfo.InvariantCulture), "--json", .. settings]));
                var m = whole.OrderBy(c => c.Wall).ElementAt(whole.Count / 2);
                Row($"imred run process, {threads} thread{(threads > 1 ? "s" : "")}", m.Wall, m.Cpu, m.PeakRssMib, grid.Count);
            }
        }
    }

    private static void Row(string side, double wall, double cpu, double peak, int cells) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{side,-34} {wall,9:F2} {cpu,9:F2} {peak,9:F0} {wall * 1000 / cells,12:F3}"));

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    private static string Manifest(string dir, string mapper, string main, Grid grid, bool zogy)
    {
        static double[][] Rows(Image<double> k) => [.. Enumerable.Range(0, k.Height).Select(r => k.RowAt(r).ToArray())];
        using Image<double> sciencePsf = Inputs.SciencePsf.ComputeKernelImage(new Point2D(0, 0));
        using Image<double> templatePsf = Inputs.TemplatePsf.ComputeKernelImage(new Point2D(0, 0));
        using Image<double> kernel = Inputs.Kernel();
        var kernels = new Dictionary<string, object>
        {
            ["sciencePsf"] = new { any = Rows(sciencePsf) },
            ["templatePsf"] = new { any = Rows(templatePsf) },
        };
        if (!zogy) kernels["psfMatchingKernel"] = new { any = Rows(kernel) };
        var aux = zogy
            ? new Dictionary<string, string> { ["template"] = Path.Combine(dir, "template.fits") }
            : new Dictionary<string, string> { ["science"] = Path.Combine(dir, "science.fits"), ["template"] = Path.Combine(dir, "template.fits") };
        string path = Path.Combine(dir, mapper + ".json");
        File.WriteAllText(path, JsonSerializer.Serialize(new
        {
            baselineDir = SharedBench.Directory(),
            mapper,
            options = new Dictionary<string, object>(),
            main,
            aux,
            kernels,
            cells = grid.Cells.Select(b => new[] { b.MinX, b.MinY, b.MaxX, b.MaxY }),
            expanded = grid.ExpandedCells.Select(b => new[] { b.MinX, b.MinY, b.MaxX, b.MaxY }),
            reduceOperation = "average",
        }));
        return path;
    }

    /// <summary>The bench's inputs: a star field (seeing 1.9 px science, 1.3 px template), sky noise, the difference, the matching kernel.</summary>
    private static class Inputs
    {
        public static readonly Psf SciencePsf = new GaussianPsf(17, 17, 1.9);
        public static readonly Psf TemplatePsf = new GaussianPsf(17, 17, 1.3);

        public static Image<double> Kernel()
        {
            double sk = Math.Sqrt(1.9 * 1.9 - 1.3 * 1.3), sum = 0;
            var k = new Image<double>(new Box(-7, -7, 15, 15));
            for (int y = -7; y <= 7; y++)
                for (int x = -7; x <= 7; x++) sum += k[x, y] = Math.Exp(-(x * x + y * y) / (2 * sk * sk));
            foreach (ref double v in k.Pixels) v *= 1.02 / sum;
            return k;
        }

        public static void Write(string dir, int size)
        {
            var box = new Box(0, 0, size, size);
            var random = new Random(7);
            var stars = Enumerable.Range(0, size * size / 2000).Select(_ => (X: random.NextDouble() * size, Y: random.NextDouble() * size, F: 100 + 5000 * random.NextDouble())).ToArray();
            using Exposure science = Render(box, SciencePsf, stars, 11), template = Render(box, TemplatePsf, stars, 12);
            using var diff = science.Clone();
            Parallel.For(0, size, r =>
            {
                Span<float> d = diff.Image.RowAt(r);
                ReadOnlySpan<float> t = template.Image.RowAt(r), vt = template.Variance.RowAt(r);
                Span<float> vd = diff.Variance.RowAt(r);
                for (int i = 0; i < d.Length; i++) { d[i] -= t[i]; vd[i] += vt[i]; }
            });
            ExposureFits.Write(science, Path.Combine(dir, "science.fits"));
            ExposureFits.Write(template, Path.Combine(dir, "template.fits"));
            ExposureFits.Write(diff, Path.Combine(dir, "diff.fits"));
            using var k = Kernel();
            using FileStream file = File.Create(Path.Combine(dir, "kernel.fits"));
            using var writer = new FitsWriter(file);
            writer.WriteEmptyPrimary();
            writer.WriteImage(k);
        }

        /// <summary>
        /// The README's picture: science and template of one field with spatially varying seeing, the A&amp;L difference
        /// science − κ ⊛ template (κ the Gaussian matching the PSFs at the centre, so the difference is correlated
        /// noise plus residuals where the seeing departs from the centre's), a transient, and the kernel file.
        /// </summary>
        public static void WriteDemo(string dir, int size)
        {
            Directory.CreateDirectory(dir);
            var box = new Box(0, 0, size, size);
            var centre = box.Center;
            Psf science = new VaryingGaussianPsf(17, 17, 1.9, 0.002, 0.001, centre), template = new VaryingGaussianPsf(17, 17, 1.3, 0, 0, centre);
            var random = new Random(3);
            var stars = Enumerable.Range(0, size * size / 600).Select(_ => (X: random.NextDouble() * size, Y: random.NextDouble() * size, F: 300 + 20000 * Math.Pow(random.NextDouble(), 3))).ToArray();
            using Exposure s = RenderVarying(box, science, [.. stars, (size * 0.3, size * 0.62, 6000.0)], 21);
            using Exposure t = RenderVarying(box, template, stars, 22);
            using Image<double> k = Kernel();
            using var diff = s.Clone();
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                {
                    double c = 0, v = 0;
                    for (int j = -7; j <= 7; j++)
                        for (int i = -7; i <= 7; i++)
                        {
                            int tx = Math.Clamp(x - i, 0, size - 1), ty = Math.Clamp(y - j, 0, size - 1);
                            c += k[i, j] * t.Image[tx, ty];
                            v += k[i, j] * k[i, j] * t.Variance[tx, ty];
                        }
                    diff.Image[x, y] = (float)(s.Image[x, y] - c);
                    diff.Variance[x, y] = (float)(s.Variance[x, y] + v);
                }
            ExposureFits.Write(s, Path.Combine(dir, "science.fits"));
            ExposureFits.Write(t, Path.Combine(dir, "template.fits"));
            ExposureFits.Write(diff, Path.Combine(dir, "difference.fits"));
            using FileStream file = File.Create(Path.Combine(dir, "kernel.fits"));
            using var writer = new FitsWriter(file);
            writer.WriteEmptyPrimary();
            writer.WriteImage(k);
        }

        private static Exposure RenderVarying(Box box, Psf psf, (double X, double Y, double F)[] stars, int seed)
        {
            var e = new Exposure(box, psf);
            foreach (var st in stars)
            {
                using Image<double> stamp = psf.ComputeImage(new Point2D(st.X, st.Y));
                for (int v = stamp.Box.MinY; v <= stamp.Box.MaxY; v++)
                    for (int u = stamp.Box.MinX; u <= stamp.Box.MaxX; u++)
                        if (box.Contains(u, v)) e.Image[u, v] += (float)(st.F * stamp[u, v]);
            }
            var random = new Random(seed);
            for (int r = 0; r < box.Height; r++) AddNoise(e.Image.RowAt(r), e.Variance.RowAt(r), random);
            return e;
        }

        private static Exposure Render(Box box, Psf psf, (double X, double Y, double F)[] stars, int seed)
        {
            var e = new Exposure(box, psf);
            using Image<double> stamp = psf.ComputeKernelImage(new Point2D(0, 0));
            foreach (var s in stars)
            {
                int cx = (int)s.X, cy = (int)s.Y;
                for (int v = stamp.Box.MinY; v <= stamp.Box.MaxY; v++)
                    for (int u = stamp.Box.MinX; u <= stamp.Box.MaxX; u++)
                        if (box.Contains(cx + u, cy + v)) e.Image[cx + u, cy + v] += (float)(s.F * stamp[u, v]);
            }
            Parallel.For(0, box.Height, r => AddNoise(e.Image.RowAt(r), e.Variance.RowAt(r), new Random(seed * 100003 + r)));
            return e;
        }

        /// <summary>Sky (25) + read (100) + source variance, and Gaussian noise of that variance (Box–Muller), along one row.</summary>
        private static void AddNoise(Span<float> img, Span<float> variance, Random random)
        {
            for (int i = 0; i < img.Length; i++)
            {
                double var = 25 + 100 + Math.Max(img[i], 0);
                double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
                img[i] += (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2) * Math.Sqrt(var));
                variance[i] = (float)var;
            }
        }
    }
}
