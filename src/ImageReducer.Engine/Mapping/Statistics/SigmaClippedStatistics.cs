using System.Buffers;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Mapping.Statistics;

/// <summary>
/// Plain and sigma-clipped statistics of the valid pixels of an image (finite, no ignored mask bit).
/// </summary>
/// <remarks>
/// Clipping starts, as afw's <c>MEANCLIP</c> does, from the median and the robust sigma
/// 0.741 × IQR; each iteration keeps the pixels within <see cref="ClipSigma"/> sigmas of the centre
/// and replaces centre and sigma by the mean and standard deviation of what it kept. It stops after
/// <see cref="Iterations"/> iterations or when the kept set no longer changes. The valid pixels are
/// copied to a pooled scratch buffer and sorted once, so every kept set is a contiguous range and
/// its median is exact. Immutable and thread-safe; the only allocation is the returned record.
/// </remarks>
public sealed class SigmaClippedStatistics
{
    /// <summary>Ratio of the standard deviation to the interquartile range of a normal distribution (1 / 1.349).</summary>
    public const double IqrToSigma = 0.741;

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="clipSigma"/> is not a positive finite number or <paramref name="iterations"/> is below 1.</exception>
    public SigmaClippedStatistics(double clipSigma = 3.0, int iterations = 3)
    {
        if (!(clipSigma > 0) || double.IsInfinity(clipSigma))
            throw new ArgumentOutOfRangeException(nameof(clipSigma), $"clipSigma must be a positive finite number, got {clipSigma}");
        if (iterations < 1)
            throw new ArgumentOutOfRangeException(nameof(iterations), $"iterations must be >= 1, got {iterations}");
        ClipSigma = clipSigma;
        Iterations = iterations;
    }

    /// <summary>Half-width of the kept interval, in sigmas.</summary>
    public double ClipSigma { get; }

    /// <summary>Maximum number of clipping iterations.</summary>
    public int Iterations { get; }

    /// <summary>
    /// The OR of the bits of the named planes that exist in <paramref name="planes"/>. A plane the mask
    /// does not define cannot be set on any pixel, so it is skipped rather than reported.
    /// </summary>
    public static int IgnoredBits(MaskPlaneDictionary planes, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(planes);
        ArgumentNullException.ThrowIfNull(names);
        int bits = 0;
        foreach (var name in names)
            if (planes.TryGetBit(name, out int bit)) bits |= 1 << bit;
        return bits;
    }

    /// <summary>Statistics of the pixels of <paramref name="image"/> that are finite and have none of <paramref name="ignoredBits"/> set in <paramref name="mask"/>.</summary>
    /// <param name="image">The pixels (a view is fine).</param>
    /// <param name="mask">The mask over the same box, or null to use every finite pixel.</param>
    /// <param name="ignoredBits">Mask bits that make a pixel invalid.</param>
    /// <exception cref="ArgumentException">The mask's box differs from the image's.</exception>
    public CellStatistics Compute(Image<float> image, Mask? mask = null, int ignoredBits = 0)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (mask is not null && mask.Box != image.Box)
            throw new ArgumentException($"The mask {mask.Box} must cover the image's {image.Box}.", nameof(mask));
        if (mask is null) ignoredBits = 0;

        Box box = image.Box;
        float[] scratch = ArrayPool<float>.Shared.Rent(checked((int)box.Area));
        try
        {
            int n = 0;
            double sum = 0;
            float min = float.PositiveInfinity, max = float.NegativeInfinity;
            for (int j = 0; j < box.Height; j++)
            {
                ReadOnlySpan<float> row = image.RowAt(j);
                ReadOnlySpan<int> bits = ignoredBits != 0 ? mask!.Pixels.RowAt(j) : default;
                for (int i = 0; i < row.Length; i++)
                {
                    float v = row[i];
                    if (!float.IsFinite(v) || (ignoredBits != 0 && (bits[i] & ignoredBits) != 0)) continue;
                    scratch[n++] = v;
                    sum += v;
                    if (v < min) min = v;
                    if (v > max) max = v;
                }
            }
            if (n == 0)
                return new CellStatistics(box, box.Area, 0, double.NaN, double.NaN, double.NaN, double.NaN,
                    double.NaN, double.NaN, double.NaN, double.NaN, 0);

            Span<float> values = scratch.AsSpan(0, n);
            double mean = sum / n;
            double stdDev = StdDev(values, mean);
            float[] sortBuffer = ArrayPool<float>.Shared.Rent(n);
            try
            {
                FloatSort.Sort(values, sortBuffer);
            }
            finally
            {
                ArrayPool<float>.Shared.Return(sortBuffer);
            }
            double median = Quantile(values, 0.5);

            // Start from the robust estimates; fall back to the unclipped set if a pass keeps nothing.
            double centre = median, sigma = IqrToSigma * (Quantile(values, 0.75) - Quantile(values, 0.25));
            int lo = 0, hi = n;
            double clippedMean = mean, clippedStdDev = stdDev;
            for (int iteration = 0; iteration < Iterations; iteration++)
            {
                int newLo = LowerBound(values, centre - ClipSigma * sigma);
                int newHi = UpperBound(values, centre + ClipSigma * sigma);
                if (newHi <= newLo) break;
                if (iteration > 0 && newLo == lo && newHi == hi) break;
                (lo, hi) = (newLo, newHi);
                var kept = values[lo..hi];
                clippedMean = Mean(kept);
                clippedStdDev = StdDev(kept, clippedMean);
                (centre, sigma) = (clippedMean, double.IsNaN(clippedStdDev) ? 0 : clippedStdDev);
            }
            return new CellStatistics(box, box.Area, n, mean, stdDev, min, max, median,
                clippedMean, Quantile(values[lo..hi], 0.5), clippedStdDev, hi - lo);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>Linear-interpolated quantile of sorted values (numpy's default), <paramref name="p"/> in [0, 1].</summary>
    internal static double Quantile(ReadOnlySpan<float> sorted, double p)
    {
        double position = p * (sorted.Length - 1);
        int i = (int)Math.Floor(position);
        double fraction = position - i;
        return i + 1 < sorted.Length ? sorted[i] + fraction * ((double)sorted[i + 1] - sorted[i]) : sorted[i];
    }

    private static double Mean(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values) sum += v;
        return sum / values.Length;
    }

    // Two passes (mean first) rather than sum of squares: no cancellation for a large sky level.
    private static double StdDev(ReadOnlySpan<float> values, double mean)
    {
        if (values.Length < 2) return double.NaN;
        double ss = 0;
        foreach (float v in values)
        {
            double d = v - mean;
            ss += d * d;
        }
        return Math.Sqrt(ss / (values.Length - 1));
    }

    /// <summary>First index whose value is &gt;= <paramref name="bound"/>.</summary>
    private static int LowerBound(ReadOnlySpan<float> sorted, double bound)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < bound) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /// <summary>First index whose value is &gt; <paramref name="bound"/>.</summary>
    private static int UpperBound(ReadOnlySpan<float> sorted, double bound)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= bound) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
