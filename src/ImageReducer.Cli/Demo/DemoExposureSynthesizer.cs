using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Cli.Demo;

/// <summary>
/// Synthesises a realistic exposure for <c>imred demo</c>: a star field drawn with a spatially
/// varying Gaussian PSF, a sky gradient, Gaussian noise from the variance model, saturated stars
/// (SAT) and cosmic rays (CR) in the mask, a TAN WCS. The same size and seed always give the same
/// pixels.
/// </summary>
internal static class DemoExposureSynthesizer
{
    /// <summary>Full well: pixels above it are clipped and flagged SAT.</summary>
    public const float SaturationLevel = 60_000f;
    /// <summary>Read noise (ADU, gain 1).</summary>
    public const double ReadNoise = 5.0;
    /// <summary>PSF sigma at the centre (pixels) and its change across the field in x and y.</summary>
    public const double Sigma0 = 1.8, SigmaGainX = 0.6, SigmaGainY = 0.3;

    /// <summary>The PSF of a <paramref name="size"/>² demo exposure.</summary>
    public static VaryingGaussianPsf PsfFor(int size) =>
        new(17, 17, Sigma0, SigmaGainX / size, SigmaGainY / size, new Point2D((size - 1) / 2.0, (size - 1) / 2.0));

    /// <summary>A <paramref name="size"/> × <paramref name="size"/> exposure with origin (0, 0).</summary>
    public static Exposure Create(int size, int seed)
    {
        if (size < 16 || size > 8192) throw new ArgumentOutOfRangeException(nameof(size), $"size must be in 16..8192, got {size}");
        var random = new GaussianRandom(seed);
        var box = new Box(0, 0, size, size);
        VaryingGaussianPsf psf = PsfFor(size);
        var exposure = new Exposure(box, psf)
        {
            Wcs = TanWcs(size),
            Metadata =
            [
                new HeaderCard("OBJECT", "imred demo field", "synthetic star field"),
                new HeaderCard("EXPTIME", 30.0, "exposure time (s)"),
                new HeaderCard("GAIN", 1.0, "e-/ADU"),
                new HeaderCard("RDNOISE", ReadNoise, "read noise (ADU)"),
                new HeaderCard("SATURATE", (double)SaturationLevel, "saturation level (ADU)"),
                new HeaderCard("DEMOSEED", seed, "imred demo --seed"),
            ],
        };
        var model = new Image<double>(box);
        AddSky(model, size);
        AddStars(model, psf, random, size);
        Observe(exposure, model, random);
        AddCosmicRays(exposure, random, size);
        return exposure;
    }

    private static void AddSky(Image<double> model, int size)
    {
        for (int y = 0; y < size; y++)
        {
            var row = model.Row(y);
            for (int x = 0; x < size; x++) row[x] = 200.0 + 40.0 * x / size + 25.0 * y / size;
        }
    }

    private static void AddStars(Image<double> model, Psf psf, GaussianRandom random, int size)
    {
        int count = Math.Max(10, size * size / 800);
        for (int s = 0; s < count; s++)
        {
            var at = new Point2D(random.Uniform(-4, size + 4), random.Uniform(-4, size + 4));
            // Power-law number counts: many faint stars, a few bright ones; the first two always
            // saturate so that every demo shows SAT pixels.
            double flux = s < 2 ? 3e6 / (s + 1) : Math.Min(4e6, 2000.0 * Math.Pow(1.0 - random.Uniform(), -1.0 / 0.8));
            using Image<double> star = psf.ComputeImage(at);
            Box overlap = star.Box.Clip(model.Box);
            for (int y = overlap.MinY; y <= overlap.MaxY; y++)
            {
                var src = star.Row(y);
                var dst = model.Row(y);
                for (int x = overlap.MinX; x <= overlap.MaxX; x++)
                    dst[x - model.X0] += flux * src[x - star.X0];
            }
        }
    }

    private static void Observe(Exposure exposure, Image<double> model, GaussianRandom random)
    {
        int sat = 1 << exposure.Mask.Planes.GetBit("SAT");
        Box box = exposure.Box;
        for (int y = box.MinY; y <= box.MaxY; y++)
        {
            var truth = model.Row(y);
            var image = exposure.Image.Row(y);
            var variance = exposure.Variance.Row(y);
            var mask = exposure.Mask.Row(y);
            for (int i = 0; i < truth.Length; i++)
            {
                double v = truth[i] + ReadNoise * ReadNoise;
                double observed = truth[i] + Math.Sqrt(v) * random.Normal();
                if (observed >= SaturationLevel)
                {
                    observed = SaturationLevel;
                    mask[i] |= sat;
                }
                image[i] = (float)observed;
                variance[i] = (float)v;
            }
        }
    }

    private static void AddCosmicRays(Exposure exposure, GaussianRandom random, int size)
    {
        int cr = 1 << exposure.Mask.Planes.GetBit("CR");
        int count = Math.Max(3, size * size / 20_000);
        for (int c = 0; c < count; c++)
        {
            double x = random.Uniform(0, size), y = random.Uniform(0, size);
            double angle = random.Uniform(0, Math.PI), length = random.Uniform(1, 8);
            double amplitude = random.Uniform(800, 5000);
            for (double t = 0; t <= length; t += 0.5)
            {
                int px = (int)Math.Floor(x + t * Math.Cos(angle)), py = (int)Math.Floor(y + t * Math.Sin(angle));
                if (!exposure.Box.Contains(px, py)) continue;
                ref float pixel = ref exposure.Image[px, py];
                // A track crosses each pixel about twice at half-pixel steps; add half the energy per step.
                pixel = Math.Min(SaturationLevel, pixel + (float)(amplitude / 2));
                exposure.Mask.Pixels[px, py] |= cr;
            }
        }
    }

    private static HeaderCard[] TanWcs(int size) =>
    [
        new("CTYPE1", "RA---TAN", "gnomonic projection"),
        new("CTYPE2", "DEC--TAN", "gnomonic projection"),
        new("CRPIX1", (size + 1) / 2.0, "reference pixel (1-based)"),
        new("CRPIX2", (size + 1) / 2.0, "reference pixel (1-based)"),
        new("CRVAL1", 150.1163, "RA at reference pixel (deg)"),
        new("CRVAL2", 2.2058, "Dec at reference pixel (deg)"),
        new("CD1_1", -0.2 / 3600, "0.2 arcsec pixels"),
        new("CD1_2", 0.0, ""),
        new("CD2_1", 0.0, ""),
        new("CD2_2", 0.2 / 3600, "0.2 arcsec pixels"),
        new("CUNIT1", "deg", ""),
        new("CUNIT2", "deg", ""),
        new("RADESYS", "ICRS", ""),
    ];
}
