using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Engine.Tests.FitsTests;

/// <summary>A catalog of exposures and PSFs for the FITS tests.</summary>
internal static class TestExposures
{
    /// <summary>A deterministic exposure with a non-zero origin, a custom mask plane, WCS, metadata and the given PSF.</summary>
    /// <param name="undefinedCard">Include a card with an undefined value (valid FITS, but fitsverify warns about it).</param>
    public static Exposure Patterned(int width = 31, int height = 17, int x0 = -5, int y0 = 120, Psf? psf = null, bool undefinedCard = true)
    {
        var box = new Box(x0, y0, width, height);
        var e = new Exposure(box, psf);
        e.Mask.AddPlane("CROSSTALK");
        var rnd = new Random(42);
        for (int y = box.MinY; y <= box.MaxY; y++)
        {
            var img = e.Image.Row(y);
            var msk = e.Mask.Row(y);
            var v = e.Variance.Row(y);
            for (int i = 0; i < img.Length; i++)
            {
                img[i] = (float)(rnd.NextDouble() * 1000 - 100);
                msk[i] = rnd.Next(0, 1 << 12);
                v[i] = (float)rnd.NextDouble() * 50;
            }
        }
        e.Image[x0, y0] = float.NaN;
        e.Wcs =
        [
            new("CTYPE1", "RA---TAN"), new("CTYPE2", "DEC--TAN"),
            new("CRPIX1", 15.5), new("CRPIX2", 8.25),
            new("CRVAL1", 10.684708), new("CRVAL2", 41.26875),
            new("CD1_1", -5.5555555555555e-05), new("CD1_2", 0.0), new("CD2_1", 0.0), new("CD2_2", 5.5555555555555e-05),
        ];
        e.Metadata =
        [
            new("TELESCOP", "LSST", "telescope"), new("EXPTIME", 30.0, "seconds"), new("VISIT", 123456L),
            new("FLAG", true),
            // A CONTINUE string (astropy 5.2 mis-parses doubled quotes inside CONTINUE parts, so the
            // quote lives in a short card; FitsCardTests covers long strings with quotes).
            new("NOTE", string.Concat(Enumerable.Repeat("a long note spread over CONTINUE cards ", 4)).TrimEnd()),
            new("OBSERVER", "O'Hara"),
            new("HISTORY", null, "made by the FITS tests"),
            new("AMBIENT_TEMPERATURE", 12.5, "long keyword"),
        ];
        if (undefinedCard) e.Metadata = [.. e.Metadata, new HeaderCard("EMPTY", null, "undefined value")];
        return e;
    }

    public static KernelImagePsf KernelPsf(int size = 7, double shift = 0.3)
    {
        using var k = new Image<double>(size, size);
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
                k[x, y] = Math.Exp(-((x - size / 2 - shift) * (x - size / 2 - shift) + (y - size / 2) * (y - size / 2)) / 3.1);
        return new KernelImagePsf(k, new Point2D(12.25, -3.5));
    }

    public static CoaddPsf Coadd() => new(
    [
        new CoaddPsfComponent(KernelPsf(5), new Box(0, 0, 40, 40), 1.0),
        new CoaddPsfComponent(new DoubleGaussianPsf(9, 9, 1.2, 2.9, 0.15), new Box(30, 0, 40, 40), 0.5),
        new CoaddPsfComponent(new GaussianPsf(7, 7, 1.7), new Box(0, 30, 40, 40), 2.0),
        new CoaddPsfComponent(new VaryingGaussianPsf(11, 11, 1.5, 0.001, -0.002, new Point2D(20, 20)), new Box(30, 30, 40, 40), 1.0),
    ]);

    public static byte[] ToBytes(Exposure e)
    {
        var ms = new MemoryStream();
        ExposureFits.Write(e, ms);
        return ms.ToArray();
    }

    public static Exposure FromBytes(byte[] bytes, ExposureReadOptions? options = null) =>
        ExposureFits.Read(new MemoryStream(bytes), options, "test.fits");

    /// <summary>A temp folder deleted on dispose.</summary>
    public sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("imred-fits-").FullName;
        public string File(string name) => System.IO.Path.Combine(Path, name);
        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
