using System.Diagnostics;
using ImageReducer.Engine;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.Mapping.Mappers;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Bench;

/// <summary>
/// The convolve mapper on one cell, direct separable against FFT, for growing kernel radii: the
/// figures behind <c>GaussianConvolution.AutoFftMinRadius</c>. The reference has no convolve
/// mapper, so the two methods are each other's baseline.
/// </summary>
public sealed class ConvolveSuite : IBenchmarkSuite
{
    public string Name => "convolve";
    public string Description => "convolve mapper on a 128x128 cell: direct vs FFT per kernel radius [cellSize] [repeats]";

    public int Run(string[] args)
    {
        int cell = args.Length > 0 ? int.Parse(args[0]) : 128;
        int repeats = args.Length > 1 ? int.Parse(args[1]) : 5;
        Console.WriteLine($"cell {cell}x{cell}, border = radius, median of {repeats} (ms)");
        Console.WriteLine($"{"radius",6} {"sigma",6} {"direct",10} {"fft",10} {"fft/direct",11}");
        foreach (int radius in new[] { 2, 4, 8, 12, 16, 24, 32, 48, 64 })
        {
            double sigma = radius / 4.0;
            var box = new Box(0, 0, cell + 2 * radius, cell + 2 * radius);
            using var e = new Exposure(box, new GaussianPsf(11, 11, 2.0));
            var rng = new Random(1);
            foreach (ref float v in e.Image.Pixels) v = (float)rng.NextDouble();
            e.Variance.Fill(1f);
            var cellBox = new Box(radius, radius, cell, cell);
            double direct = Time(ConvolutionMethod.Direct), fft = Time(ConvolutionMethod.Fft);
            Console.WriteLine($"{radius,6} {sigma,6:F1} {direct,10:F2} {fft,10:F2} {fft / direct,11:F2}");

            double Time(ConvolutionMethod method)
            {
                var mapper = new ConvolveMapper(new ConvolveMapperOptions { Sigma = sigma, Method = method });
                var ctx = new MapContext(0, box, EngineOptions.Default);
                var times = new double[repeats];
                mapper.Map(e.Sub(cellBox), e, ctx); // warm-up
                for (int i = 0; i < repeats; i++)
                {
                    var sw = Stopwatch.StartNew();
                    mapper.Map(e.Sub(cellBox), e, ctx);
                    times[i] = sw.Elapsed.TotalMilliseconds;
                }
                Array.Sort(times);
                return times[repeats / 2];
            }
        }
        return 0;
    }
}
