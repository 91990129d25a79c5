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
    /// <summary>The reference's log line.</summary>
    public string Describe() => string.Format(CultureInfo.InvariantCulture,
        "Maximum overlap: {0}; Mean overlap: {1:G6}; Minimum overlap: {2}; Number of zero-weight pixels: {3} ({4:G4}%); NaN-flagged pixels: {5}",
        MaxCount, MeanCount, MinCount, ZeroCountPixels, ZeroCountPercent, NanFlaggedPixels);
}
