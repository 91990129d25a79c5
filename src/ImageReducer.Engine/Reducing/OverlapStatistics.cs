using System.Globalization;

namespace ImageReducer.Engine.Reducing;

/// <summary>
/// Per-pixel counts of valid contributions over the output, as the reference logs them after
/// averaging (max, mean and min count; number and percentage of zero-count pixels).
/// </summary>
/// <param name="MaxCount">Largest number of valid contributions to one pixel.</param>
/// <param name="MeanCount">Mean number of valid contributions per pixel.</param>
/// <param name="MinCount">Smallest number of valid contributions to one pixel.</param>
/// <param name="ZeroCountPixels">Pixels with no valid contribution (flagged with the bad planes).</param>
/// <param name="ZeroCountPercent">100 × <paramref name="ZeroCountPixels"/> / pixel count.</param>
/// <param name="NanFlaggedPixels">Pixels whose image × variance was NaN after accumulation (before averaging), flagged with the bad planes.</param>
public sealed record OverlapStatistics(int MaxCount, double MeanCount, int MinCount, long ZeroCountPixels, double ZeroCountPercent, long NanFlaggedPixels)
{
    /// <summary>Pixels counted (the output's, or its region's, area); with <see cref="CountSum"/> it lets parts merge exactly.</summary>
    public long PixelCount { get; init; }

    /// <summary>Sum of the per-pixel counts; <see cref="MeanCount"/> = CountSum / PixelCount.</summary>
    public long CountSum { get; init; }

    /// <summary>
    /// The statistics of the union of disjoint regions from their parts: max/min of the extremes,
    /// integer sums of the counts, the mean and percentage recomputed from the sums — so the result
    /// is identical to the statistics of one reduction over the whole.
    /// </summary>
    /// <exception cref="ArgumentException">No part, or a part without <see cref="PixelCount"/>.</exception>
    public static OverlapStatistics Merge(IEnumerable<OverlapStatistics> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        long pixels = 0, sum = 0, zeros = 0, nans = 0;
        int max = int.MinValue, min = int.MaxValue;
        foreach (var p in parts)
        {
            if (p.PixelCount <= 0) throw new ArgumentException("Every part needs its PixelCount to merge.", nameof(parts));
            pixels += p.PixelCount;
            sum += p.CountSum;
            zeros += p.ZeroCountPixels;
            nans += p.NanFlaggedPixels;
            max = Math.Max(max, p.MaxCount);
            min = Math.Min(min, p.MinCount);
        }
        if (pixels == 0) throw new ArgumentException("No part to merge.", nameof(parts));
        return new OverlapStatistics(max, (double)sum / pixels, min, zeros, zeros * 100.0 / pixels, nans) { PixelCount = pixels, CountSum = sum };
    }

    /// <summary>The reference's log line.</summary>
    public string Describe() => string.Format(CultureInfo.InvariantCulture,
        "Maximum overlap: {0}; Mean overlap: {1:G6}; Minimum overlap: {2}; Number of zero-weight pixels: {3} ({4:G4}%); NaN-flagged pixels: {5}",
        MaxCount, MeanCount, MinCount, ZeroCountPixels, ZeroCountPercent, NanFlaggedPixels);
}
