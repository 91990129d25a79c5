using System.Diagnostics;
using System.Globalization;
using ImageReducer.Engine;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;

namespace ImageReducer.Bench;

/// <summary>
/// Map phase alone, one thread: every built-in pixel mapper over a tiled exposure, next to the numpy
/// baseline's map phase for the two mappers it has (<c>AddAmountMapper</c>, <c>GetMeanMapper</c>).
/// </summary>
/// <remarks>
/// Args: <c>[size] [cell] [border] [repeat]</c>, default 2048 64 16 5. Cells tile the exposure
/// (the baseline's <c>adjustGridOption: none</c> with step = cell, in pixels). Each figure is the
/// minimum over the repeats; exposure results are disposed as the runner does.
/// </remarks>
public sealed class MapperBenchmarks : IBenchmarkSuite
{
    public string Name => "mappers";
    public string Description => "Map phase of add/mean/stats/background/identity, one thread, vs the numpy baseline.";

    public int Run(string[] args)
    {
        int size = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2048;
        int cell = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64;
        int border = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 16;
        int repeat = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 5;

        var full = new Box(0, 0, size, size);
        using var exposure = new Exposure(full);
        var random = new Random(0);
        for (int y = 0; y < size; y++)
        {
            var row = exposure.Image.Row(y);
            for (int x = 0; x < size; x++)
            {
                double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
                row[x] = (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
            }
        }
        exposure.Variance.Fill(1);
        var cells = new List<(Box Cell, Box Expanded)>();
        for (int x0 = 0; x0 < size; x0 += cell)
            for (int y0 = 0; y0 < size; y0 += cell)
            {
                var c = new Box(x0, y0, cell, cell).Clip(full);
                cells.Add((c, c.Grow(border).Clip(full)));
            }

        var registry = new MapperRegistry();
        var baseline = new NumpyMapBaseline(size, cell, border, repeat);
        Console.WriteLine($"map phase, {size}x{size}, {cells.Count} cells of {cell} px, border {border}, 1 thread, best of {repeat}");
        Console.WriteLine($"{"mapper",-12} {"ms (C#)",10} {"ms (numpy)",11} {"speed-up",9}");
        foreach (var name in new[] { "identity", "add", "mean", "stats", "background" })
        {
            var mapper = registry.Create(new MapperConfig { Name = name });
            double ms = Measure(exposure, cells, mapper, repeat);
            double? numpy = name switch { "add" => baseline.Measure("AddAmountMapper()"), "mean" => baseline.Measure("GetMeanMapper()"), _ => null };
            string b = numpy is double n ? n.ToString("F1", CultureInfo.InvariantCulture) : "-";
            string s = numpy is double m ? (m / ms).ToString("F1", CultureInfo.InvariantCulture) + "x" : "";
            Console.WriteLine($"{name,-12} {ms.ToString("F1", CultureInfo.InvariantCulture),10} {b,11} {s,9}");
        }
        return 0;
    }

    private static double Measure(Exposure exposure, List<(Box Cell, Box Expanded)> cells, IMapper mapper, int repeat)
    {
        double best = double.MaxValue;
        var options = new EngineOptions { MaxDegreeOfParallelism = 1 };
        for (int r = 0; r < repeat + 1; r++) // first round warms up the JIT
        {
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < cells.Count; i++)
            {
                var result = mapper.Map(exposure.Sub(cells[i].Cell), exposure.Sub(cells[i].Expanded), new MapContext(i, exposure.Box, options));
                if (result is ExposureResult e) e.SubExposure.Dispose();
            }
            if (r > 0) best = Math.Min(best, watch.Elapsed.TotalMilliseconds);
        }
        return best;
    }
}
