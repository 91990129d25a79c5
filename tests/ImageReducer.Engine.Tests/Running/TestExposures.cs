using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Engine.Tests.Running;

/// <summary>The inputs used by the runner and reducer tests.</summary>
internal static class TestExposures
{
    /// <summary>The LSST test's PSF: a double Gaussian (11×11, sigma 2 and 3.7).</summary>
    public static Psf TestPsf { get; } = new DoubleGaussianPsf(11, 11, 2.0, 3.7);

    /// <summary>
    /// Seeded noise: image ~ N(0,1) in float32, variance 1 + |noise|/4, mask with a few bits set,
    /// the test PSF, one WCS card and one metadata card.
    /// </summary>
    public static Exposure Noise(int width, int height, int seed, int x0 = 0, int y0 = 0)
    {
        var e = new Exposure(new Box(x0, y0, width, height), TestPsf)
        {
            Wcs = [new Fits.HeaderCard("CTYPE1", "RA---TAN"), new Fits.HeaderCard("CRVAL1", 10.5)],
            Metadata = [new Fits.HeaderCard("OBSERVER", "test")],
        };
        var rng = new Random(seed);
        for (int j = 0; j < height; j++)
        {
            Span<float> img = e.Image.RowAt(j), var = e.Variance.RowAt(j);
            Span<int> m = e.Mask.Pixels.RowAt(j);
            for (int i = 0; i < width; i++)
            {
                double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
                img[i] = (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
                var[i] = 1f + (float)rng.NextDouble() / 4;
                m[i] = rng.Next(50) == 0 ? 1 << rng.Next(11) : 0;
            }
        }
        return e;
    }

    /// <summary>A constant exposure (image <paramref name="value"/>, variance 1, mask 0).</summary>
    public static Exposure Constant(Box box, float value, Psf? psf = null)
    {
        var e = new Exposure(box, psf);
        e.Image.Fill(value);
        e.Variance.Fill(1f);
        return e;
    }

    /// <summary>The concatenated raw bytes of image, mask and variance (row-major): the bit-exact fingerprint of an exposure.</summary>
    public static byte[] PlaneBytes(Exposure e)
    {
        var bytes = new List<byte>();
        bytes.AddRange(System.Runtime.InteropServices.MemoryMarshal.AsBytes(e.Image.ToArray().AsSpan()).ToArray());
        bytes.AddRange(System.Runtime.InteropServices.MemoryMarshal.AsBytes(e.Mask.Pixels.ToArray().AsSpan()).ToArray());
        bytes.AddRange(System.Runtime.InteropServices.MemoryMarshal.AsBytes(e.Variance.ToArray().AsSpan()).ToArray());
        return bytes.ToArray();
    }
}
