using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;

namespace ImageReducer.Engine.Tests.Mapping.Diffim;

/// <summary>Pixel-by-pixel comparison of an engine plane with the numpy port's.</summary>
internal static class DiffimAssert
{
    /// <summary>
    /// Both planes agree pixel by pixel: NaN where the other is NaN, and otherwise
    /// <c>|a − b| ≤ 2 ulp(float32 of the larger) + 1e-9 · max|b|</c>. Why: both sides compute in float64 and round
    /// once to float32, so a pixel differs only where the float64 results straddle a float32 rounding boundary (1 ulp,
    /// 2 with the reducer's float32 sum); the FFTs themselves (MathNet radix-2 + Bluestein against numpy's pocketfft)
    /// differ by a few float64 ulps of the transform's scale (about 1e-15 · max|x| · log₂N), which the absolute term
    /// covers with a wide margin while still failing any real discrepancy (a wrong centring or shift moves pixels by
    /// a large fraction of max|b|).
    /// </summary>
    /// <returns>The largest |a − b| / max|b| seen (for the report).</returns>
    public static double Close(Image<float> engine, Image<float> numpy, string what)
    {
        Assert.Equal(numpy.Box, engine.Box);
        double scale = 0;
        for (int r = 0; r < numpy.Height; r++)
            foreach (float v in numpy.RowAt(r))
                if (float.IsFinite(v)) scale = Math.Max(scale, Math.Abs(v));
        double worst = 0;
        for (int r = 0; r < numpy.Height; r++)
        {
            ReadOnlySpan<float> a = engine.RowAt(r), b = numpy.RowAt(r);
            for (int i = 0; i < a.Length; i++)
            {
                if (float.IsNaN(b[i]) || float.IsNaN(a[i]))
                {
                    Assert.True(float.IsNaN(a[i]) && float.IsNaN(b[i]), $"{what} at ({engine.Box.MinX + i}, {engine.Box.MinY + r}): engine {a[i]}, numpy {b[i]}");
                    continue;
                }
                double d = Math.Abs((double)a[i] - b[i]);
                double floatUlp = MathF.BitIncrement(MathF.Max(MathF.Abs(a[i]), MathF.Abs(b[i]))) - MathF.Max(MathF.Abs(a[i]), MathF.Abs(b[i]));
                Assert.True(d <= 2 * floatUlp + 1e-9 * scale,
                    $"{what} at ({engine.Box.MinX + i}, {engine.Box.MinY + r}): engine {a[i]:R}, numpy {b[i]:R}, |diff| {d:E3} > tolerance (scale {scale:E3})");
                worst = Math.Max(worst, d / scale);
            }
        }
        return worst;
    }

    /// <summary>Two kernel images agree to 1e-12 of their peak (float64 both sides; only FFT roundoff differs).</summary>
    public static void Close(Image<double> engine, double[,] numpy, string what)
    {
        Assert.Equal(numpy.GetLength(0), engine.Height);
        Assert.Equal(numpy.GetLength(1), engine.Width);
        double peak = 0;
        foreach (double v in numpy) peak = Math.Max(peak, Math.Abs(v));
        for (int r = 0; r < engine.Height; r++)
            for (int c = 0; c < engine.Width; c++)
                Assert.True(Math.Abs(engine.RowAt(r)[c] - numpy[r, c]) <= 1e-12 * peak,
                    $"{what} [{r},{c}]: engine {engine.RowAt(r)[c]:R}, numpy {numpy[r, c]:R}");
    }

    /// <summary>
    /// The reduced exposure matches the port's: image and variance within <see cref="Close(Image{float}, Image{float}, string)"/>'s
    /// tolerance, the mask bit for bit, and the PSF of every cell (from <paramref name="cells"/>, disposed here) within
    /// 1e-12 of its peak.
    /// </summary>
    /// <returns>A line for the test output: the cell count and the worst relative differences.</returns>
    public static string MatchesPort(Exposure engine, DiffimReference.Output numpy, IReadOnlyList<MapResult> cells, string imageName)
    {
        double image = Close(engine.Image, numpy.Image, imageName);
        double variance = Close(engine.Variance, numpy.Variance, "variance");
        Assert.Equal(numpy.Mask.Pixels.ToArray(), engine.Mask.Pixels.ToArray());
        for (int c = 0; c < cells.Count; c++)
        {
            using Exposure sub = ((ExposureResult)cells[c]).SubExposure;
            using Image<double> psf = sub.Psf!.ComputeKernelImage(sub.Box.Center);
            Close(psf, numpy.Psfs![c], $"PSF of cell {c}");
        }
        return $"{cells.Count} cells; worst |diff|/max: {imageName} {image:E2}, variance {variance:E2}";
    }
}
