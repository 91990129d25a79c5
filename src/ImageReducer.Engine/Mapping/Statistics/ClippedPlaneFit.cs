using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Mapping.Statistics;

/// <summary>
/// Least-squares fit of a plane to the valid pixels of an image (finite, no ignored mask bit), with
/// iterative rejection of pixels more than <see cref="ClipSigma"/> residual sigmas from the plane.
/// </summary>
/// <remarks>
/// Starts from a constant level and sigma (typically the sigma-clipped median and standard
/// deviation), so a bright source is rejected before the first fit. Coordinates are taken relative to
/// the image centre to keep the normal equations well conditioned. If the kept pixels cannot
/// determine a plane (fewer than three, or all on one line) the previous model is kept. Streams over
/// the pixels: no allocation. Immutable and thread-safe.
/// </remarks>
public sealed class ClippedPlaneFit
{
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="clipSigma"/> is not a positive finite number or <paramref name="iterations"/> is below 1.</exception>
    public ClippedPlaneFit(double clipSigma = 3.0, int iterations = 3)
    {
        if (!(clipSigma > 0) || double.IsInfinity(clipSigma))
            throw new ArgumentOutOfRangeException(nameof(clipSigma), $"clipSigma must be a positive finite number, got {clipSigma}");
        if (iterations < 1)
            throw new ArgumentOutOfRangeException(nameof(iterations), $"iterations must be >= 1, got {iterations}");
        ClipSigma = clipSigma;
        Iterations = iterations;
    }

    /// <summary>Half-width of the kept band around the plane, in residual sigmas.</summary>
    public double ClipSigma { get; }

    /// <summary>Maximum number of fit-and-reject iterations.</summary>
    public int Iterations { get; }

    /// <summary>Fits a plane starting from the constant <paramref name="startLevel"/> with scatter <paramref name="startSigma"/>.</summary>
    /// <param name="image">The pixels (a view is fine).</param>
    /// <param name="mask">The mask over the same box, or null.</param>
    /// <param name="ignoredBits">Mask bits that make a pixel invalid.</param>
    /// <param name="startLevel">Initial constant background; NaN gives a NaN plane.</param>
    /// <param name="startSigma">Initial scatter about it (a NaN or 0 keeps only pixels exactly on the model).</param>
    /// <exception cref="ArgumentException">The mask's box differs from the image's.</exception>
    public BackgroundPlane Fit(Image<float> image, Mask? mask, int ignoredBits, double startLevel, double startSigma)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (mask is not null && mask.Box != image.Box)
            throw new ArgumentException($"The mask {mask.Box} must cover the image's {image.Box}.", nameof(mask));
        if (mask is null) ignoredBits = 0;

        Box box = image.Box;
        Point2D origin = box.Center;
        var plane = new BackgroundPlane(startLevel, 0, 0, origin);
        if (double.IsNaN(startLevel)) return plane;
        double sigma = double.IsNaN(startSigma) ? 0 : startSigma;
        long previousKept = -1;

        for (int iteration = 0; iteration < Iterations; iteration++)
        {
            double band = ClipSigma * sigma;
            // Normal equations of v = a + b·dx + c·dy over the kept pixels.
            double n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, sv = 0, sxv = 0, syv = 0;
            for (int j = 0; j < box.Height; j++)
            {
                int y = box.MinY + j;
                double dy = y - origin.Y;
                ReadOnlySpan<float> row = image.RowAt(j);
                ReadOnlySpan<int> bits = ignoredBits != 0 ? mask!.Pixels.RowAt(j) : default;
                for (int i = 0; i < row.Length; i++)
                {
                    float v = row[i];
                    if (!float.IsFinite(v) || (ignoredBits != 0 && (bits[i] & ignoredBits) != 0)) continue;
                    int x = box.MinX + i;
                    if (Math.Abs(v - plane.At(x, y)) > band) continue;
                    double dx = x - origin.X;
                    n++; sx += dx; sy += dy; sxx += dx * dx; syy += dy * dy; sxy += dx * dy;
                    sv += v; sxv += dx * v; syv += dy * v;
                }
            }
            if (n < 3 || (long)n == previousKept) break;
            double det = n * (sxx * syy - sxy * sxy) - sx * (sx * syy - sxy * sy) + sy * (sx * sxy - sxx * sy);
            if (!(Math.Abs(det) > 1e-9 * n * n * n)) break; // the kept pixels lie on a line: no plane
            double a = (sv * (sxx * syy - sxy * sxy) - sx * (sxv * syy - sxy * syv) + sy * (sxv * sxy - sxx * syv)) / det;
            double b = (n * (sxv * syy - sxy * syv) - sv * (sx * syy - sxy * sy) + sy * (sx * syv - sxv * sy)) / det;
            double c = (n * (sxx * syv - sxv * sxy) - sx * (sx * syv - sxv * sy) + sv * (sx * sxy - sxx * sy)) / det;
            var fitted = new BackgroundPlane(a, b, c, origin);
            sigma = ResidualSigma(image, mask, ignoredBits, plane, band, fitted);
            plane = fitted;
            previousKept = (long)n;
        }
        return plane;
    }

    /// <summary>Residual standard deviation (n − 3 degrees of freedom) about <paramref name="fitted"/> of the pixels the previous model kept.</summary>
    private static double ResidualSigma(Image<float> image, Mask? mask, int ignoredBits, BackgroundPlane previous, double band, BackgroundPlane fitted)
    {
        Box box = image.Box;
        double ss = 0;
        long n = 0;
        for (int j = 0; j < box.Height; j++)
        {
            int y = box.MinY + j;
            ReadOnlySpan<float> row = image.RowAt(j);
            ReadOnlySpan<int> bits = ignoredBits != 0 ? mask!.Pixels.RowAt(j) : default;
            for (int i = 0; i < row.Length; i++)
            {
                float v = row[i];
                if (!float.IsFinite(v) || (ignoredBits != 0 && (bits[i] & ignoredBits) != 0)) continue;
                int x = box.MinX + i;
                if (Math.Abs(v - previous.At(x, y)) > band) continue;
                double r = v - fitted.At(x, y);
                ss += r * r;
                n++;
            }
        }
        return n > 3 ? Math.Sqrt(ss / (n - 3)) : 0;
    }
}
