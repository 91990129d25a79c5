using System.Diagnostics;
using System.Globalization;
using ImageReducer.TestSupport;

namespace ImageReducer.Bench;

/// <summary>
/// Times the numpy baseline's map phase (<c>ImageMapReduceTask.run_mapper</c>) for one of its test
/// mappers, with the same exposure shape and tiling as <see cref="MapperBenchmarks"/>.
/// </summary>
/// <remarks>
/// Runs <c>/usr/bin/python3</c> (which has numpy) on <c>lsst_numpy_baseline.py</c>, found through
/// <see cref="SharedBench"/> (<c>$IMRED_BASELINE_DIR</c>, else <c>../shared/bench</c> beside the repository root). Returns null when
/// Python or the baseline is missing, so the table shows "-" instead of failing.
/// </remarks>
internal sealed class NumpyMapBaseline(int size, int cell, int border, int repeat)
{
    private static readonly string Script = """
        import sys, time
        import numpy as np
        sys.path.insert(0, sys.argv[1])
        import lsst_numpy_baseline as b
        size, cell, border, repeat = (int(a) for a in sys.argv[2:6])
        rng = np.random.default_rng(0)
        exp = b.Exposure(size, size, psf=b.DoubleGaussianPsf(11, 11, 2.0, 3.7))
        exp.image[:] = rng.standard_normal((size, size), dtype=np.float32)
        exp.variance[:] = 1.0
        config = b.MapReduceConfig(cellSizeX=cell, cellSizeY=cell, gridStepX=cell, gridStepY=cell,
                                   borderSizeX=border, borderSizeY=border, adjustGridOption="none",
                                   scaleByFwhm=False, reduceOperation="none")
        best = float("inf")
        for _ in range(repeat):
            task = b.ImageMapReduceTask(config, eval("b." + sys.argv[6]))
            t0 = time.perf_counter()
            task.run_mapper(exp)
            best = min(best, time.perf_counter() - t0)
        print(best * 1000.0)
        """;

    public double? Measure(string mapperExpression)
    {
        if (SharedBench.FindDirectory() is not { } directory || !File.Exists("/usr/bin/python3")) return null;
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-c", Script, directory, size.ToString(CultureInfo.InvariantCulture),
                     cell.ToString(CultureInfo.InvariantCulture), border.ToString(CultureInfo.InvariantCulture),
                     repeat.ToString(CultureInfo.InvariantCulture), mapperExpression })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) { process.Kill(); return null; }
        if (process.ExitCode != 0)
        {
            Console.Error.WriteLine($"numpy baseline failed: {error.Trim()}");
            return null;
        }
        return double.Parse(output.Trim(), CultureInfo.InvariantCulture);
    }
}
