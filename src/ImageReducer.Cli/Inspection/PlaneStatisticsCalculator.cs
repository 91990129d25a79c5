using ImageReducer.Engine.Imaging;

namespace ImageReducer.Cli.Inspection;

/// <summary>Min, max, mean, standard deviation and median of the finite pixels of a plane.</summary>
internal static class PlaneStatisticsCalculator
{
    /// <summary>Medians above this many pixels use a regular sample (exact enough for a summary, bounded memory).</summary>
    public const int MedianSampleLimit = 1_000_000;

    public static PlaneStatistics Compute(Image<float> image)
    {
        long pixels = image.Box.Area, nonFinite = 0, n = 0;
        double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0, sumSq = 0;
        for (int j = 0; j < image.Height; j++)
        {
            foreach (float v in image.RowAt(j))
            {
                if (!float.IsFinite(v)) { nonFinite++; continue; }
                n++;
                sum += v;
                sumSq += (double)v * v;
                if (v < min) min = v;
                if (v > max) max = v;
            }
        }
        if (n == 0) return new PlaneStatistics(pixels, nonFinite, null, null, null, null, null);
        double mean = sum / n;
        double variance = Math.Max(0, sumSq / n - mean * mean);
        double[] sample = Rendering.PixelSampler.Finite(image, MedianSampleLimit);
        Array.Sort(sample);
        double median = sample.Length % 2 == 1 ? sample[sample.Length / 2] : 0.5 * (sample[sample.Length / 2 - 1] + sample[sample.Length / 2]);
        return new PlaneStatistics(pixels, nonFinite, min, max, mean, median, Math.Sqrt(variance));
    }
}
