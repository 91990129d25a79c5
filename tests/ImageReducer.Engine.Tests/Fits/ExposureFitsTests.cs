using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Engine.Tests.FitsTests;

public class ExposureFitsTests
{
    private static void AssertSamePixels<T>(Image<T> a, Image<T> b) where T : unmanaged
    {
        Assert.Equal(a.Box, b.Box);
        Assert.Equal(a.ToArray(), b.ToArray()); // bit-exact: FITS stores the same IEEE/int bits
    }

    [Fact]
    public void Write_ThenRead_GivesBackPixelsOriginPlanesWcsAndMetadata()
    {
        using var e = TestExposures.Patterned();
        using var back = TestExposures.FromBytes(TestExposures.ToBytes(e));
        AssertSamePixels(e.Image, back.Image);
        AssertSamePixels(e.Mask.Pixels, back.Mask.Pixels);
        AssertSamePixels(e.Variance, back.Variance);
        Assert.True(e.Mask.Planes.SameAs(back.Mask.Planes));
        Assert.True(Exposure.SameWcs(e.Wcs, back.Wcs));
        Assert.Equal(e.Metadata, back.Metadata);
        Assert.Null(back.Psf);
    }

    [Fact]
    public void Write_SameExposure_GivesIdenticalBytes()
    {
        using var a = TestExposures.Patterned(psf: TestExposures.Coadd());
        using var b = TestExposures.Patterned(psf: TestExposures.Coadd());
        Assert.Equal(TestExposures.ToBytes(a), TestExposures.ToBytes(b));
    }

    [Fact]
    public void Write_Layout_FollowsTheReference()
    {
        using var e = TestExposures.Patterned(x0: -5, y0: 120);
        using var r = new FitsReader(new MemoryStream(TestExposures.ToBytes(e)));
        Assert.Empty(r.Hdus[0].Axes);
        string[] names = ["IMAGE", "MASK", "VARIANCE"];
        int[] bitpix = [-32, 32, -32];
        for (int i = 0; i < 3; i++)
        {
            var h = r.Hdus[i + 1].Header;
            Assert.Equal(names[i], h.GetString("EXTNAME"));
            Assert.Equal(names[i], h.GetString("EXTTYPE"));
            Assert.True(h.GetBool("INHERIT", false));
            Assert.Equal(bitpix[i], r.Hdus[i + 1].Bitpix);
            Assert.Equal("LINEAR", h.GetString("CTYPE1A"));
            Assert.Equal(1.0, h.GetDouble("CRPIX1A", 0));
            Assert.Equal(-5.0, h.GetDouble("CRVAL1A", 0));
            Assert.Equal(120.0, h.GetDouble("CRVAL2A", 0));
            Assert.Equal("PIXEL", h.GetString("CUNIT2A"));
            Assert.Equal(5.0, h.GetDouble("LTV1", 0));
            Assert.Equal(-120.0, h.GetDouble("LTV2", 0));
            Assert.Equal("RA---TAN", h.GetString("CTYPE1"));
            Assert.True(h.Contains("CHECKSUM") && h.Contains("DATASUM"));
        }
        var mask = r.Hdus[2].Header;
        Assert.Equal(0L, mask.GetInt64("MP_BAD"));
        Assert.StartsWith("HIERARCH MP_DETECTED_NEGATIVE = 6 /", mask.Find("MP_DETECTED_NEGATIVE")!.RawText);
        Assert.Equal(11L, mask.GetInt64("MP_CROSSTALK"));
        Assert.Equal("LSST", r.Hdus[0].Header.GetString("TELESCOP"));
    }

    [Fact]
    public void Write_EveryHdu_HasVerifyingChecksums()
    {
        using var e = TestExposures.Patterned(psf: TestExposures.Coadd());
        using var r = new FitsReader(new MemoryStream(TestExposures.ToBytes(e)));
        Assert.Equal(5, r.Hdus.Count);
        foreach (var h in r.Hdus) Assert.True(r.VerifyChecksum(h), $"HDU {h.Index} has no checksum cards");
    }

    [Fact]
    public void Layout_HeadersAndRowRangesWrittenSeparately_AreByteIdenticalToWrite()
    {
        using var e = TestExposures.Patterned(width: 23, height: 29, psf: new GaussianPsf(5, 5, 1.1));
        var expected = TestExposures.ToBytes(e);
        var layout = ExposureFitsLayout.Create(e);
        Assert.Equal(expected.Length, layout.Length);
        var file = new byte[layout.Length];
        layout.EncodeHeader(layout.Primary, FitsChecksum.Zero).CopyTo(file, layout.Primary.HeaderOffset);
        WriteRanges(file, layout, ExposurePlane.Image, e.Image);
        WriteRanges(file, layout, ExposurePlane.Mask, e.Mask.Pixels);
        WriteRanges(file, layout, ExposurePlane.Variance, e.Variance);
        var psf = layout.Psf!;
        layout.EncodeHeader(psf, layout.DataChecksum(psf)).CopyTo(file, psf.HeaderOffset);
        layout.PsfData.CopyTo(file.AsSpan((int)psf.DataOffset));
        Assert.Equal(expected, file);
    }

    /// <summary>Writes a plane as three row ranges summed separately (in reverse order) and combined, like parallel tiles.</summary>
    private static void WriteRanges<T>(byte[] file, ExposureFitsLayout layout, ExposurePlane plane, Image<T> pixels) where T : unmanaged
    {
        var hdu = layout.Plane(plane);
        int[] cuts = [0, 7, 19, pixels.Height];
        var sum = FitsChecksum.Zero;
        for (int k = cuts.Length - 2; k >= 0; k--)
        {
            var part = FitsChecksum.Zero;
            for (int j = cuts[k]; j < cuts[k + 1]; j++)
            {
                part = part.AddBigEndian<T>(pixels.RowAt(j), hdu.RowDataOffset(j));
                var dst = file.AsSpan((int)hdu.RowOffset(j), (int)hdu.RowLength);
                var src = System.Runtime.InteropServices.MemoryMarshal.AsBytes(pixels.RowAt(j));
                src.CopyTo(dst);
                int size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
                for (int i = 0; i < dst.Length; i += size) dst.Slice(i, size).Reverse();
            }
            sum += part;
        }
        layout.EncodeHeader(hdu, sum).CopyTo(file, hdu.HeaderOffset);
    }

    [Fact]
    public void WriteToPath_Succeeds_LeavesOnlyTheTarget()
    {
        using var dir = new TestExposures.TempFolder();
        using var e = TestExposures.Patterned();
        string path = dir.File("out.fits");
        ExposureFits.Write(e, path);
        Assert.Equal(new[] { path }, Directory.GetFiles(dir.Path));
        using var back = ExposureFits.Read(path);
        AssertSamePixels(e.Image, back.Image);
    }

    [Fact]
    public void WriteToPath_Failing_DeletesTempAndLeavesNoOutput()
    {
        using var dir = new TestExposures.TempFolder();
        using var e = TestExposures.Patterned(psf: new UnwritablePsf());
        string path = dir.File("out.fits");
        Assert.Throws<NotSupportedException>(() => ExposureFits.Write(e, path));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void WriteToPath_Failing_KeepsAnExistingTargetUnchanged()
    {
        using var dir = new TestExposures.TempFolder();
        string path = dir.File("out.fits");
        File.WriteAllText(path, "previous");
        using var e = TestExposures.Patterned(psf: new UnwritablePsf());
        Assert.Throws<NotSupportedException>(() => ExposureFits.Write(e, path));
        Assert.Equal("previous", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    private sealed class UnwritablePsf : Psf
    {
        public override string Kind => "custom";
        public override Image<double> ComputeKernelImage(Point2D position) => new(1, 1);
        public override Image<double> ComputeImage(Point2D position) => new(1, 1);
    }

    [Fact]
    public void Read_Region_EqualsTheSubExposure()
    {
        using var e = TestExposures.Patterned(x0: 10, y0: 20);
        var region = new Box(13, 25, 9, 6);
        using var sub = TestExposures.FromBytes(TestExposures.ToBytes(e), new ExposureReadOptions { Region = region });
        Assert.Equal(region, sub.Box);
        AssertSamePixels(e.Image.Sub(region).Clone(), sub.Image);
        AssertSamePixels(e.Mask.Pixels.Sub(region).Clone(), sub.Mask.Pixels);
        AssertSamePixels(e.Variance.Sub(region).Clone(), sub.Variance);
    }

    [Fact]
    public void Read_RegionOutsideExposure_Throws()
    {
        using var e = TestExposures.Patterned(x0: 0, y0: 0);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            TestExposures.FromBytes(TestExposures.ToBytes(e), new ExposureReadOptions { Region = new Box(-1, 0, 5, 5) }));
    }

    [Fact]
    public void Read_DuplicateMaskBits_ThrowsInvalidMaskPlanes()
    {
        var bytes = LsstFile(maskCards: [FitsCard.Create("MP_BAD", 0L), FitsCard.Create("MP_SAT", 0L)]);
        var ex = Assert.Throws<FitsFormatException>(() => TestExposures.FromBytes(bytes));
        Assert.Equal(FitsErrorKind.InvalidMaskPlanes, ex.Kind);
        Assert.Equal(2, ex.HduIndex);
        Assert.IsType<MaskPlaneException>(ex.InnerException);
        Assert.Contains("HDU 2", ex.Message);
    }

    [Fact]
    public void Read_ShortMaskPlaneKeyword_IsAccepted()
    {
        var bytes = LsstFile(maskCards: [FitsCard.Create("MP_BAD", 0L), FitsCard.Create("MP_DETECTED_NEGATIVE", 6L)]);
        using var e = TestExposures.FromBytes(bytes);
        Assert.Equal(6, e.Mask.Planes.GetBit("DETECTED_NEGATIVE"));
        Assert.Equal(2, e.Mask.Planes.Count);
    }

    [Fact]
    public void Read_PlanesOfDifferentSizes_ThrowsShapeMismatch()
    {
        var ms = new MemoryStream();
        using (var w = new FitsWriter(ms, leaveOpen: true))
        {
            w.WriteEmptyPrimary();
            w.WriteImage(new Image<float>(4, 4), [FitsCard.Create("EXTNAME", "IMAGE")]);
            w.WriteImage(new Image<int>(4, 5), [FitsCard.Create("EXTNAME", "MASK")]);
            w.WriteImage(new Image<float>(4, 4), [FitsCard.Create("EXTNAME", "VARIANCE")]);
        }
        var ex = Assert.Throws<FitsFormatException>(() => TestExposures.FromBytes(ms.ToArray()));
        Assert.Equal(FitsErrorKind.ShapeMismatch, ex.Kind);
        Assert.Equal(2, ex.HduIndex);
    }

    private static byte[] LsstFile(FitsCard[] maskCards)
    {
        var ms = new MemoryStream();
        using (var w = new FitsWriter(ms, leaveOpen: true))
        {
            w.WriteEmptyPrimary();
            w.WriteImage(new Image<float>(4, 4), [FitsCard.Create("EXTNAME", "IMAGE")]);
            w.WriteImage(new Image<int>(4, 4), [FitsCard.Create("EXTNAME", "MASK"), .. maskCards]);
            w.WriteImage(new Image<float>(4, 4), [FitsCard.Create("EXTNAME", "VARIANCE")]);
        }
        return ms.ToArray();
    }
}
