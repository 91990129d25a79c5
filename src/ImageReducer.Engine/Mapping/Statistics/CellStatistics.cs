using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Mapping.Statistics;

/// <summary>
/// Statistics of the valid pixels of a box: finite and without an ignored mask bit. All values are
/// NaN (and counts 0) when no pixel is valid; the standard deviations are NaN below two pixels.
/// </summary>
/// <param name="Box">The box measured (parent coordinates).</param>
/// <param name="TotalPixels">Pixels in the box.</param>
/// <param name="ValidPixels">Pixels used: finite and with no ignored mask bit.</param>
/// <param name="Mean">Mean of the valid pixels (float64 sums, pixel order).</param>
/// <param name="StdDev">Sample standard deviation (n − 1) of the valid pixels.</param>
/// <param name="Min">Smallest valid pixel.</param>
/// <param name="Max">Largest valid pixel.</param>
/// <param name="Median">Median of the valid pixels (mean of the two middle values for an even count).</param>
/// <param name="ClippedMean">Mean of the pixels kept by sigma clipping.</param>
/// <param name="ClippedMedian">Median of the pixels kept by sigma clipping.</param>
/// <param name="ClippedStdDev">Sample standard deviation of the pixels kept by sigma clipping.</param>
/// <param name="ClippedPixels">Number of pixels kept by sigma clipping.</param>
public sealed record CellStatistics(
    Box Box,
    long TotalPixels,
    long ValidPixels,
    double Mean,
    double StdDev,
    double Min,
    double Max,
    double Median,
    double ClippedMean,
    double ClippedMedian,
    double ClippedStdDev,
    long ClippedPixels);
