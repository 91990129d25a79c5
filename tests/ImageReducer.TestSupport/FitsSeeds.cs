using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.PointSpread;
using static ImageReducer.TestSupport.Outcome;

namespace ImageReducer.TestSupport;

/// <summary>
/// The valid seed files of the corpus, written by the engine: small (64 × 64) and deterministic. Pixel
/// (0, 0) of every plane is 0, so a header that loses its END runs into binary data at once.
/// </summary>
internal static class FitsSeeds
{
    public const int Size = 64;

    /// <summary>An LSST-layout exposure (IMAGE/MASK/VARIANCE + PSF table, checksums).</summary>
    public static FitsSeed Lsst()
    {
        using var e = new Exposure(new Box(10, 20, Size, Size), new DoubleGaussianPsf(9, 9, 1.2, 2.9, 0.15));
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                e.Image[10 + x, 20 + y] = x + y == 0 ? 0 : (x * 31 + y * 17) % 1000 / 7f;
                e.Mask.Pixels[10 + x, 20 + y] = (x + y) % 8;
                e.Variance[10 + x, 20 + y] = x + y == 0 ? 0 : 1 + (x ^ y) % 13;
            }
        e.Metadata = [new HeaderCard("TELESCOP", "LSST", "telescope"), new HeaderCard("EXPTIME", 30.0, "seconds")];
        var ms = new MemoryStream();
        ExposureFits.Write(e, ms);
        // Fewer HDUs: no IMAGE/MASK/VARIANCE triple is a layout mismatch; without the PSF table the
        // exposure reads but PsfFits.Read finds no PSF: both BadLayout, not tied to one HDU.
        return new FitsSeed("lsst", ms.ToArray(), checksums: true, hasPsf: true,
            ["PRIMARY", "IMAGE", "MASK", "VARIANCE", "PSF"], _ => Error(FitsErrorCategory.BadLayout, null));
    }

    /// <summary>An HST-like file: empty primary, SCI and ERR (float), DQ (int16), EXTVER 1, checksums.</summary>
    public static FitsSeed Hst()
    {
        var ms = new MemoryStream();
        using (var w = new FitsWriter(ms, leaveOpen: true))
        {
            w.WriteEmptyPrimary([FitsCard.Create("TELESCOP", "HST"), FitsCard.Create("INSTRUME", "WFC3")]);
            using var sci = Pattern<float>((x, y) => (x * 13 + y * 7) % 500 / 3f);
            using var err = Pattern<float>((x, y) => 1 + (x + y) % 5);
            using var dq = Pattern<short>((x, y) => (short)((x * y) % 7 == 3 ? 16 : 0));
            w.WriteImage(sci, Extension("SCI"));
            w.WriteImage(err, Extension("ERR"));
            w.WriteImage(dq, Extension("DQ"));
        }
        // DQ is optional: without it the file still reads; without ERR it is no known layout.
        return new FitsSeed("hst", ms.ToArray(), checksums: true, hasPsf: false, ["PRIMARY", "SCI", "ERR", "DQ"],
            n => n >= 3 ? Readable : Error(FitsErrorCategory.BadLayout, null));
    }

    /// <summary>A plain float primary image without checksums (as many foreign files are).</summary>
    public static FitsSeed Plain()
    {
        var ms = new MemoryStream();
        using (var w = new FitsWriter(ms, leaveOpen: true))
        {
            using var img = Pattern<float>((x, y) => (x * 3 + y * 5) % 97 / 2f);
            w.WriteImage(img, [FitsCard.Create("OBJECT", "M31"), FitsCard.Create("CTYPE1", "RA---TAN"), FitsCard.Create("CTYPE2", "DEC--TAN")], checksum: false);
        }
        return new FitsSeed("plain", ms.ToArray(), checksums: false, hasPsf: false, ["PRIMARY"], _ => Readable);
    }

    /// <summary>A BITPIX 16 primary image scaled with BZERO/BSCALE, with checksums.</summary>
    public static FitsSeed Scaled16()
    {
        var ms = new MemoryStream();
        using (var w = new FitsWriter(ms, leaveOpen: true))
        {
            using var img = Pattern<short>((x, y) => (short)((x * 401 + y * 97) % 60000 - 30000));
            w.WriteImage(img, [FitsCard.Create("BZERO", 32768.0), FitsCard.Create("BSCALE", 1.0), FitsCard.Create("BLANK", -32768L)]);
        }
        return new FitsSeed("scaled16", ms.ToArray(), checksums: true, hasPsf: false, ["PRIMARY"], _ => Readable);
    }

    private static FitsCard[] Extension(string name) => [FitsCard.Create("EXTNAME", name), FitsCard.Create("EXTVER", 1L)];

    private static Image<T> Pattern<T>(Func<int, int, T> value) where T : unmanaged
    {
        var img = new Image<T>(Size, Size);
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
                img[x, y] = x + y == 0 ? default : value(x, y);
        return img;
    }
}
