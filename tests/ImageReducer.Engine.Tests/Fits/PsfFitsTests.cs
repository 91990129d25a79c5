using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Engine.Tests.FitsTests;

public class PsfFitsTests
{
    private static Psf RoundTrip(Psf psf)
    {
        var ms = new MemoryStream();
        PsfFits.Write(psf, ms);
        return PsfFits.Read(new MemoryStream(ms.ToArray()), fileName: "psf.fits");
    }

    /// <summary>Same kernel, bit for bit, at a few points (the file keeps every double exactly).</summary>
    private static void AssertSameKernels(Psf a, Psf b, params Point2D[] points)
    {
        Assert.Equal(a.GetType(), b.GetType());
        Assert.Equal(a.AveragePosition, b.AveragePosition);
        foreach (var p in points.Append(a.AveragePosition))
        {
            using var ka = a.ComputeKernelImage(p);
            using var kb = b.ComputeKernelImage(p);
            Assert.Equal(ka.Box, kb.Box);
            Assert.Equal(ka.ToArray(), kb.ToArray());
        }
    }

    [Fact]
    public void RoundTrip_Gaussian_GivesSamePsf()
    {
        var back = (GaussianPsf)RoundTrip(new GaussianPsf(15, 13, 2.25));
        Assert.Equal((15, 13, 2.25), (back.Width, back.Height, back.Sigma));
    }

    [Fact]
    public void RoundTrip_DoubleGaussian_GivesSamePsf()
    {
        var psf = new DoubleGaussianPsf(11, 11, 1.3, 3.7, 0.1);
        var back = (DoubleGaussianPsf)RoundTrip(psf);
        Assert.Equal((psf.Sigma1, psf.Sigma2, psf.B), (back.Sigma1, back.Sigma2, back.B));
        AssertSameKernels(psf, back);
    }

    [Fact]
    public void RoundTrip_KernelImage_GivesBitIdenticalKernelAndPosition()
    {
        var psf = TestExposures.KernelPsf(9, 0.37);
        AssertSameKernels(psf, RoundTrip(psf));
    }

    [Fact]
    public void RoundTrip_VaryingGaussian_GivesSamePsf()
    {
        var psf = new VaryingGaussianPsf(13, 13, 1.8, 0.0004, -0.0007, new Point2D(1000.5, 2000.25));
        var back = (VaryingGaussianPsf)RoundTrip(psf);
        Assert.Equal((psf.Sigma0, psf.SigmaX, psf.SigmaY, psf.Reference), (back.Sigma0, back.SigmaX, back.SigmaY, back.Reference));
        AssertSameKernels(psf, back, new Point2D(10, 3000));
    }

    [Fact]
    public void RoundTrip_Coadd_KeepsComponentsBoxesWeightsAndTypes()
    {
        var psf = TestExposures.Coadd();
        var back = (CoaddPsf)RoundTrip(psf);
        Assert.Equal(psf.Components.Count, back.Components.Count);
        for (int i = 0; i < psf.Components.Count; i++)
        {
            Assert.Equal(psf.Components[i].Box, back.Components[i].Box);
            Assert.Equal(psf.Components[i].Weight, back.Components[i].Weight);
            Assert.Equal(psf.Components[i].Psf.GetType(), back.Components[i].Psf.GetType());
        }
        AssertSameKernels(psf, back, new Point2D(5, 5), new Point2D(35, 35));
    }

    [Fact]
    public void RoundTrip_NestedCoadd_GivesSameTree()
    {
        var inner = new CoaddPsf([new CoaddPsfComponent(new GaussianPsf(5, 5, 1), new Box(0, -5, 10, 15))]);
        var outer = new CoaddPsf([new CoaddPsfComponent(inner, new Box(0, -5, 10, 15), 3), new CoaddPsfComponent(TestExposures.KernelPsf(), new Box(5, 5, 10, 10))]);
        var back = (CoaddPsf)RoundTrip(outer);
        Assert.IsType<CoaddPsf>(back.Components[0].Psf);
        AssertSameKernels(outer, back, new Point2D(7, 7));
    }

    [Fact]
    public void Exposure_WithPsf_RoundTripsThePsf()
    {
        using var e = TestExposures.Patterned(psf: TestExposures.Coadd());
        using var back = TestExposures.FromBytes(TestExposures.ToBytes(e));
        AssertSameKernels(e.Psf!, back.Psf!, new Point2D(5, 5));
    }

    [Fact]
    public void Read_FromExposureFile_ReturnsItsPsf()
    {
        using var e = TestExposures.Patterned(psf: new GaussianPsf(7, 7, 1.5));
        var psf = PsfFits.Read(new MemoryStream(TestExposures.ToBytes(e)));
        Assert.Equal(1.5, ((GaussianPsf)psf).Sigma);
    }

    [Fact]
    public void Read_FileWithoutPsf_ThrowsMissingExtension()
    {
        using var e = TestExposures.Patterned();
        var ex = Assert.Throws<FitsFormatException>(() => PsfFits.Read(new MemoryStream(TestExposures.ToBytes(e)), fileName: "nopsf.fits"));
        Assert.Equal(FitsErrorKind.MissingExtension, ex.Kind);
        Assert.Contains("nopsf.fits", ex.Message);
    }

    [Fact]
    public void Read_UnknownKind_ThrowsInvalidPsf()
    {
        var ms = new MemoryStream();
        PsfFits.Write(new GaussianPsf(5, 5, 1), ms);
        var bytes = ms.ToArray();
        // Patch the KIND cell of row 1 ("gaussian" -> "gaussiaX") in the table data (after two headers).
        int at = IndexOf(bytes, "gaussian"u8.ToArray(), 2880 * 2);
        bytes[at + 7] = (byte)'X';
        var ex = Assert.Throws<FitsFormatException>(() => PsfFits.Read(new MemoryStream(bytes), new FitsReadOptions { VerifyChecksums = false }));
        Assert.Equal(FitsErrorKind.InvalidPsf, ex.Kind);
        Assert.Contains("gaussiaX", ex.Message);
        Assert.Equal(1, ex.HduIndex);
    }

    private static int IndexOf(byte[] hay, byte[] needle, int from)
    {
        for (int i = from; i <= hay.Length - needle.Length; i++)
            if (hay.AsSpan(i, needle.Length).SequenceEqual(needle)) return i;
        throw new InvalidOperationException("not found");
    }

    [Fact]
    public void Write_ToPath_ThenReadBack()
    {
        using var dir = new TestExposures.TempFolder();
        string path = dir.File("coaddPsf.fits");
        PsfFits.Write(TestExposures.Coadd(), path);
        Assert.IsType<CoaddPsf>(PsfFits.Read(path));
    }
}
