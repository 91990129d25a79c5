using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Bench;

/// <summary>
/// <c>fits [SIZE] [RUNS]</c>: read and write of a SIZE × SIZE exposure in the LSST layout on local
/// disk, MB/s side by side with astropy (bench/ImageReducer.Bench/fits_astropy_bench.py on the same
/// file), warmed, best of RUNS; plus the memory a read needs compared with the pixel bytes, and the
/// raw file read/write speed as the floor.
/// </summary>
public sealed class FitsSuite : IBenchmarkSuite
{
    public string Name => "fits";
    public string Description => "exposure FITS read/write MB/s and read memory vs astropy (args: [size=4096] [runs=3])";

    public int Run(string[] args)
    {
        int size = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 4096;
        int runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        string dir = Directory.CreateTempSubdirectory("imred-bench-fits-").FullName;
        try
        {
            return Measure(size, runs, dir);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static int Measure(int size, int runs, string dir)
    {
        string path = Path.Combine(dir, "exposure.fits");
        string astropyOut = Path.Combine(dir, "astropy-out.fits");
        long pixelBytes = (long)size * size * 12;
        Console.WriteLine($"fits: {size} x {size} exposure (pixels {pixelBytes / 1e6:F1} MB), best of {runs}, {Environment.ProcessorCount} cores");

        double writeS, readS;
        long fileBytes;
        using (var exposure = MakeExposure(size))
        {
            writeS = Best(runs, () => ExposureFits.Write(exposure, path));
            fileBytes = new FileInfo(path).Length;
        }
        GC.Collect();
        // Let the GC heap grow to hold one exposure first, so that no timed series alone pays the page faults.
        using (ExposureFits.Read(path)) { }
        using (ExposureFits.Read(path)) { }
        readS = Best(runs, () => { using var e = ExposureFits.Read(path); });
        var noVerify = new ExposureReadOptions { Fits = new FitsReadOptions { VerifyChecksums = false } };
        double readNoVerifyS = Best(runs, () => { using var e = ExposureFits.Read(path, noVerify); });
        long allocated = ReadMemory(path);
        // Steady state: the same reads into planes that already exist (FitsReader.ReadImageInto), which
        // separates the reader's cost from the first touch of freshly allocated memory.
        double readIntoS;
        using (var image = new Image<float>(size, size))
        using (var mask = new Image<int>(size, size))
        using (var variance = new Image<float>(size, size))
        {
            image.Fill(1); mask.Fill(1); variance.Fill(1); // touch every page once
            readIntoS = Best(runs, () =>
            {
                using var r = FitsReader.Open(path);
                var box = new Box(0, 0, size, size);
                r.ReadImageInto(r.Find("IMAGE")!, box, image);
                r.ReadImageInto(r.Find("MASK")!, box, mask);
                r.ReadImageInto(r.Find("VARIANCE")!, box, variance);
            });
        }
        double touchS = Best(runs, () => { var a = new float[(long)size * size * 3]; a.AsSpan().Fill(1); });

        var rawBuffer = new byte[fileBytes];
        double rawReadS = Best(runs, () => { using var fs = File.OpenRead(path); fs.ReadExactly(rawBuffer); });
        string rawPath = Path.Combine(dir, "raw.bin");
        double rawWriteS = Best(runs, () => { using var fs = File.Create(rawPath); fs.Write(rawBuffer); fs.Flush(true); });
        rawBuffer = null;
        File.Delete(rawPath);
        GC.Collect();

        var astropy = RunAstropy(path, astropyOut, runs);

        double Mb(double s) => fileBytes / 1e6 / s;
        Console.WriteLine();
        Console.WriteLine($"| {"operation",-38} | {"ImageReducer",14} | {"astropy",14} | {"ratio",7} |");
        Console.WriteLine($"|{new string('-', 40)}|{new string('-', 16)}|{new string('-', 16)}|{new string('-', 9)}|");
        Row("read, no checksum check (MB/s)", Mb(readNoVerifyS), astropy is null ? null : Mb(astropy.Value.GetProperty("read_s").GetDouble()));
        Row("read + verify DATASUM/CHECKSUM (MB/s)", Mb(readS), astropy is null ? null : Mb(astropy.Value.GetProperty("read_checksum_s").GetDouble()));
        Row("  same, into existing planes (MB/s)", Mb(readIntoS), null);
        Row("write with CHECKSUM/DATASUM (MB/s)", Mb(writeS), astropy is null ? null : Mb(astropy.Value.GetProperty("write_s").GetDouble()));
        Console.WriteLine($"| {"floor: raw file read (MB/s)",-38} | {Mb(rawReadS),14:F0} | {"",14} | {"",7} |");
        Console.WriteLine($"| {"floor: raw file write+fsync (MB/s)",-38} | {Mb(rawWriteS),14:F0} | {"",14} | {"",7} |");
        Console.WriteLine($"| {"floor: first touch of new planes (MB/s)",-38} | {Mb(touchS),14:F0} | {"",14} | {"",7} |");
        double? astropyPeak = astropy?.GetProperty("read_peak_bytes").GetDouble();
        Console.WriteLine($"| {"read memory / pixel bytes",-38} | {(double)allocated / pixelBytes,13:F3}x | {(astropyPeak is double p ? $"{p / pixelBytes:F3}x" : "n/a"),14} | {"",7} |");
        Console.WriteLine();
        Console.WriteLine($"file {fileBytes / 1e6:F1} MB. Reads return native-endian float/int planes (astropy keeps big-endian arrays and swaps nothing).");
        Console.WriteLine("read memory: ImageReducer = GC bytes allocated during one read; astropy = tracemalloc peak during one read.");
        Console.WriteLine("first touch: allocating and filling new arrays of the pixel bytes (page faults); a fresh read pays this too.");
        if (astropy is null) Console.WriteLine("astropy baseline NOT run (see the error above).");
        return astropy is null ? 1 : 0;
    }

    private static void Row(string name, double ours, double? theirs) =>
        Console.WriteLine($"| {name,-38} | {ours,14:F0} | {(theirs is double t ? t.ToString("F0", CultureInfo.InvariantCulture) : "n/a"),14} | {(theirs is double u ? $"{ours / u:F2}x" : ""),7} |");

    /// <summary>One warm-up, then the best of <paramref name="runs"/> timings, in seconds.</summary>
    private static double Best(int runs, Action action)
    {
        action();
        double best = double.MaxValue;
        for (int i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return best;
    }

    /// <summary>Bytes the GC allocated during one read (pixel planes plus every transient buffer).</summary>
    private static long ReadMemory(string path)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long a0 = GC.GetTotalAllocatedBytes(precise: true);
        using var e = ExposureFits.Read(path);
        return GC.GetTotalAllocatedBytes(precise: true) - a0;
    }

    private static JsonElement? RunAstropy(string path, string outPath, int runs)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "fits_astropy_bench.py");
        const string python = "/usr/bin/python3";
        if (!File.Exists(python) || !File.Exists(script))
        {
            Console.Error.WriteLine($"bench: error: need {python} (with astropy) and {script}");
            return null;
        }
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(path);
        psi.ArgumentList.Add(outPath);
        psi.ArgumentList.Add(runs.ToString(CultureInfo.InvariantCulture));
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            Console.Error.WriteLine($"bench: error: astropy baseline failed: {stderr.Result}");
            return null;
        }
        return JsonDocument.Parse(stdout.Trim().Split('\n')[^1]).RootElement.Clone();
    }

    /// <summary>A deterministic exposure with every plane filled and a small PSF.</summary>
    private static Exposure MakeExposure(int size)
    {
        var e = new Exposure(new Box(0, 0, size, size), new DoubleGaussianPsf(21, 21, 1.5, 3.0, 0.1));
        for (int y = 0; y < size; y++)
        {
            var img = e.Image.Row(y);
            var msk = e.Mask.Row(y);
            var v = e.Variance.Row(y);
            for (int x = 0; x < size; x++)
            {
                uint h = (uint)(x * 73856093) ^ (uint)(y * 19349663);
                img[x] = (h % 100_000) * 0.01f - 20f;
                msk[x] = (int)(h >> 27);
                v[x] = 5f + (h % 977) * 0.1f;
            }
        }
        e.Metadata = [new("TELESCOP", "bench"), new("EXPTIME", 30.0)];
        e.Wcs = [new("CTYPE1", "RA---TAN"), new("CTYPE2", "DEC--TAN"), new("CRPIX1", size / 2.0), new("CRPIX2", size / 2.0)];
        return e;
    }
}
