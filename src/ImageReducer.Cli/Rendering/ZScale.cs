namespace ImageReducer.Cli.Rendering;

/// <summary>
/// The IRAF <c>zscale</c> display limits (as astropy's <c>ZScaleInterval</c>): fit a line to the
/// sorted sample with iterative k-sigma rejection, then take the median ± the slope divided by
/// the contrast over half the sample.
/// </summary>
internal static class ZScale
{
    /// <summary>IRAF's defaults.</summary>
    public const double Contrast = 0.25, MaxReject = 0.5, KRej = 2.5;
    public const int MinPixels = 5, MaxIterations = 5;

    /// <summary>The limits (z1, z2) of <paramref name="samples"/> (finite values; sorted in place).</summary>
    public static (double Z1, double Z2) Compute(double[] samples)
    {
        int n = samples.Length;
        if (n == 0) return (0, 1);
        Array.Sort(samples);
        double zmin = samples[0], zmax = samples[^1];
        int minPix = Math.Max(MinPixels, (int)(n * MaxReject));
        int nGrow = Math.Max(1, (int)(n * 0.01));
        var bad = new bool[n];
        var grown = new bool[n];
        int nGood = n, lastGood = n + 1;
        double slope = 0, intercept = 0;
        for (int iteration = 0; iteration < MaxIterations && nGood < lastGood && nGood >= minPix; iteration++)
        {
            (slope, intercept) = FitLine(samples, bad);
            double sumSq = 0, sum = 0;
            int count = 0;
            for (int i = 0; i < n; i++)
            {
                if (bad[i]) continue;
                double flat = samples[i] - (intercept + slope * i);
                sum += flat;
                sumSq += flat * flat;
                count++;
            }
            double mean = sum / count;
            double threshold = KRej * Math.Sqrt(Math.Max(0, sumSq / count - mean * mean));
            for (int i = 0; i < n; i++)
            {
                double flat = samples[i] - (intercept + slope * i);
                if (flat < -threshold || flat > threshold) bad[i] = true;
            }
            // numpy.convolve(bad, ones(nGrow), mode="same"): dilate each rejection by the window.
            int half = (nGrow - 1) / 2;
            for (int i = 0; i < n; i++)
            {
                bool any = false;
                for (int j = Math.Max(0, i + half - (nGrow - 1)); j <= Math.Min(n - 1, i + half) && !any; j++) any = bad[j];
                grown[i] = any;
            }
            (bad, grown) = (grown, bad);
            lastGood = nGood;
            nGood = bad.Count(b => !b);
        }
        if (nGood < minPix) return (zmin, zmax);
        slope /= Contrast;
        int center = (n - 1) / 2;
        double median = n % 2 == 1 ? samples[n / 2] : 0.5 * (samples[n / 2 - 1] + samples[n / 2]);
        double z1 = Math.Max(zmin, median - (center - 1) * slope);
        double z2 = Math.Min(zmax, median + (n - center) * slope);
        return (z1, z2);
    }

    private static (double Slope, double Intercept) FitLine(double[] y, bool[] bad)
    {
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        int count = 0;
        for (int i = 0; i < y.Length; i++)
        {
            if (bad[i]) continue;
            sx += i; sy += y[i]; sxx += (double)i * i; sxy += i * y[i];
            count++;
        }
        double det = count * sxx - sx * sx;
        if (count < 2 || det == 0) return (0, count > 0 ? sy / count : 0);
        double slope = (count * sxy - sx * sy) / det;
        return (slope, (sy - slope * sx) / count);
    }
}
