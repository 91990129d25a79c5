using ImageReducer.Engine.Imaging;

namespace ImageReducer.Cli.Rendering;

/// <summary>Maps a pixel value to a grey level in [0, 1] between <see cref="Low"/> and <see cref="High"/>.</summary>
/// <param name="Kind">The stretch.</param>
/// <param name="Low">Value shown black.</param>
/// <param name="High">Value shown white.</param>
/// <param name="Softening">asinh only: where the stretch turns from linear to logarithmic, as a fraction of the range (astropy's <c>a</c>).</param>
internal sealed record Stretch(StretchKind Kind, double Low, double High, double Softening = Stretch.DefaultSoftening)
{
    /// <summary>astropy's default <c>a</c>.</summary>
    public const double DefaultSoftening = 0.1;

    /// <summary>zscale uses 1000 samples; the percentile needs more to see the few bright star pixels.</summary>
    private const int ZscaleSamples = 1000, PercentileSamples = 200_000;

    /// <summary>Computes the limits of <paramref name="kind"/> for <paramref name="image"/>.</summary>
    public static Stretch For(StretchKind kind, Image<float> image)
    {
        switch (kind)
        {
            case StretchKind.Zscale:
            {
                var (z1, z2) = ZScale.Compute(PixelSampler.Finite(image, ZscaleSamples));
                return Create(kind, z1, z2);
            }
            case StretchKind.Asinh:
            {
                var (z1, z2) = ZScale.Compute(PixelSampler.Finite(image, ZscaleSamples));
                double[] many = PixelSampler.Finite(image, PercentileSamples);
                Array.Sort(many);
                double high = many.Length == 0 ? 1 : many[(int)Math.Min(many.Length - 1, Math.Round(0.999 * (many.Length - 1)))];
                Stretch s = Create(kind, z1, Math.Max(high, z2));
                // Turn logarithmic at a tenth of the zscale range: the sky noise stays visible
                // (mid-grey) while star cores still reach white.
                double softening = Math.Clamp(0.1 * (z2 - z1) / (s.High - s.Low), 1e-5, DefaultSoftening);
                return s with { Softening = softening };
            }
            case StretchKind.Linear:
            {
                double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
                for (int j = 0; j < image.Height; j++)
                    foreach (float v in image.RowAt(j))
                        if (float.IsFinite(v)) { lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
                return double.IsFinite(lo) ? Create(kind, lo, hi) : Create(kind, 0, 1);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown stretch");
        }
    }

    private static Stretch Create(StretchKind kind, double low, double high) =>
        high > low ? new Stretch(kind, low, high) : new Stretch(kind, low, low + Math.Max(1e-6, Math.Abs(low) * 1e-6));

    /// <summary>The grey level of <paramref name="value"/> in [0, 1]; NaN for a non-finite value.</summary>
    public double Apply(double value)
    {
        if (!double.IsFinite(value)) return double.NaN;
        double x = Math.Clamp((value - Low) / (High - Low), 0, 1);
        return Kind == StretchKind.Asinh ? Math.Asinh(x / Softening) / Math.Asinh(1 / Softening) : x;
    }
}
