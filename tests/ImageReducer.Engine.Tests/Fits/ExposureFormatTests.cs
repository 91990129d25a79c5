using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Tests.FitsTests;

public class ExposureFormatTests
{
    private static Image<T> Filled<T>(int w, int h, Func<int, int, T> f) where T : unmanaged
    {
        var img = new Image<T>(w, h);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img[x, y] = f(x, y);
        return img;
    }

    private static FitsCard[] Ext(string name, int ver = 1) => [FitsCard.Create("EXTNAME", name), FitsCard.Create("EXTVER", (long)ver)];

    private static byte[] Hst(bool withDq = true)
    {
        var ms = new MemoryStream();
        using var w = new FitsWriter(ms, leaveOpen: true);
        w.WriteEmptyPrimary([FitsCard.Create("INSTRUME", "WFC3")]);
        w.WriteImage(Filled(6, 4, (x, y) => (float)(x + 10 * y)), [.. Ext("SCI"), FitsCard.Create("CTYPE1", "RA---TAN"), FitsCard.Create("LTV1", -100.0), FitsCard.Create("LTV2", -200.0), FitsCard.Create("BUNIT", "ELECTRONS")]);
        w.WriteImage(Filled(6, 4, (x, y) => 0.5f * (x + 1)), Ext("ERR"));
        if (withDq) w.WriteImage(Filled(6, 4, (x, y) => (short)(x == 1 ? 4 : x == 2 ? 256 | 4096 : x == 3 ? 32768 / 2 : 0)), Ext("DQ"));
        return ms.ToArray();
    }

    private static byte[] Gemini()
    {
        var ms = new MemoryStream();
        using var w = new FitsWriter(ms, leaveOpen: true);
        w.WriteEmptyPrimary();
        w.WriteImage(Filled(5, 3, (x, y) => (float)x), Ext("SCI"));
        w.WriteImage(Filled(5, 3, (x, y) => 2f), Ext("VAR"));
        w.WriteImage(Filled(5, 3, (x, y) => (short)(x == 0 ? 1 : x == 1 ? 4 | 8 : 0)), Ext("DQ"));
        return ms.ToArray();
    }

    private static byte[] Plain()
    {
        var ms = new MemoryStream();
        using var w = new FitsWriter(ms, leaveOpen: true);
        // Stored int16 with BZERO 32768: physical values 32768 + stored.
        w.WriteImage(Filled(4, 4, (x, y) => (short)(x * 100 - 32768)), [FitsCard.Create("BZERO", 32768L), FitsCard.Create("OBJECT", "flat")]);
        return ms.ToArray();
    }

    private static ExposureFormat Detect(byte[] bytes)
    {
        using var r = new FitsReader(new MemoryStream(bytes));
        return ExposureFits.DetectFormat(r);
    }

    [Fact]
    public void Detect_LsstFile_IsLsst()
    {
        using var e = TestExposures.Patterned();
        Assert.Equal(ExposureFormat.Lsst, Detect(TestExposures.ToBytes(e)));
    }

    [Fact] public void Detect_SciErrDq_IsHst() => Assert.Equal(ExposureFormat.Hst, Detect(Hst()));
    [Fact] public void Detect_SciVar_IsGemini() => Assert.Equal(ExposureFormat.Gemini, Detect(Gemini()));
    [Fact] public void Detect_PrimaryImage_IsPlain() => Assert.Equal(ExposureFormat.Plain, Detect(Plain()));

    [Fact]
    public void Read_Hst_VarianceIsErrSquaredAndDqMapsToPlanes()
    {
        using var e = TestExposures.FromBytes(Hst());
        Assert.Equal(new Box(100, 200, 6, 4), e.Box); // xy0 = -LTV
        Assert.Equal(3f + 10 * 2, e.Image[103, 202]);
        Assert.Equal(2f * 2f, e.Variance[103, 201]); // ERR = 0.5 (x+1) = 2 → variance 4, exact in float
        var p = e.Mask.Planes;
        Assert.Equal(p.GetBitMask("BAD"), e.Mask.Pixels[101, 200]);
        Assert.Equal(p.GetBitMask("SAT", "CR"), e.Mask.Pixels[102, 200]);
        Assert.Equal(p.GetBitMask("SUSPECT"), e.Mask.Pixels[103, 200]); // DQ 16384 (ghost/crosstalk)
        Assert.Equal(0, e.Mask.Pixels[100, 200]);
        Assert.Contains(e.Wcs, c => c.Keyword == "CTYPE1");
        Assert.DoesNotContain(e.Wcs, c => c.Keyword == "BUNIT");
        Assert.Contains(e.Metadata, c => c.Keyword == "INSTRUME");
    }

    [Fact]
    public void Read_HstWithoutDq_HasEmptyMask()
    {
        using var e = TestExposures.FromBytes(Hst(withDq: false));
        Assert.All(e.Mask.Pixels.ToArray(), v => Assert.Equal(0, v));
    }

    [Fact]
    public void Read_Gemini_TakesVarAndMapsDq()
    {
        using var e = TestExposures.FromBytes(Gemini());
        Assert.Equal(2f, e.Variance[3, 1]);
        Assert.Equal(e.Mask.Planes.GetBitMask("BAD"), e.Mask.Pixels[0, 0]);
        Assert.Equal(e.Mask.Planes.GetBitMask("SAT", "CR"), e.Mask.Pixels[1, 2]);
    }

    [Fact]
    public void Read_PlainScaledInt16_ConvertsToFloatWithZeroVariance()
    {
        using var e = TestExposures.FromBytes(Plain());
        Assert.Equal(300f, e.Image[3, 0]);
        Assert.All(e.Variance.ToArray(), v => Assert.Equal(0f, v));
        Assert.All(e.Mask.Pixels.ToArray(), v => Assert.Equal(0, v));
        Assert.Contains(e.Metadata, c => c.Keyword == "OBJECT");
    }

    [Fact]
    public void Read_PlainWithNoiseModel_VarianceIsImageOverGainPlusReadNoiseSquared()
    {
        using var e = TestExposures.FromBytes(Plain(), new ExposureReadOptions { Noise = new NoiseModel(2.0, 3.0) });
        Assert.Equal((float)(300 / 2.0 + 9.0), e.Variance[3, 0]); // same double formula, rounded once to float
    }

    [Fact]
    public void Read_NamedLayoutTheFileDoesNotMatch_ThrowsLayoutMismatch()
    {
        using var e = TestExposures.Patterned();
        var ex = Assert.Throws<FitsFormatException>(() => TestExposures.FromBytes(TestExposures.ToBytes(e), new ExposureReadOptions { Format = ExposureFormat.Hst }));
        Assert.Equal(FitsErrorKind.LayoutMismatch, ex.Kind);
        Assert.Contains("'SCI'", ex.Message);
        Assert.Contains("test.fits", ex.Message);
    }

    [Fact]
    public void Read_NamedPlainOnFileWithoutPrimaryImage_ThrowsLayoutMismatch()
    {
        var ex = Assert.Throws<FitsFormatException>(() => TestExposures.FromBytes(Gemini(), new ExposureReadOptions { Format = ExposureFormat.Plain }));
        Assert.Equal(FitsErrorKind.LayoutMismatch, ex.Kind);
    }

    [Fact]
    public void Read_NoKnownLayout_ThrowsLayoutMismatch()
    {
        var ms = new MemoryStream();
        PsfFitsTestsHelper.WritePsfOnly(ms);
        var ex = Assert.Throws<FitsFormatException>(() => TestExposures.FromBytes(ms.ToArray()));
        Assert.Equal(FitsErrorKind.LayoutMismatch, ex.Kind);
        Assert.Contains("no known exposure layout", ex.Message);
    }

    [Fact]
    public void Read_NamedLsstOnLsstFile_Works()
    {
        using var e = TestExposures.Patterned();
        using var back = TestExposures.FromBytes(TestExposures.ToBytes(e), new ExposureReadOptions { Format = ExposureFormat.Lsst });
        Assert.Equal(e.Box, back.Box);
    }

    private static class PsfFitsTestsHelper
    {
        public static void WritePsfOnly(Stream s) => PsfFits.Write(new ImageReducer.Engine.PointSpread.GaussianPsf(5, 5, 1), s);
    }
}
