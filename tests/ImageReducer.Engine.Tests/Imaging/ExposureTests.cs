using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Engine.Tests.Imaging;

public class ExposureTests
{
    private static readonly Box Full = new(100, 200, 20, 10);

    [Fact]
    public void Sub_IsViewOfAllPlanesWithOriginAtBoxMin()
    {
        using var e = new Exposure(Full, new GaussianPsf(5, 5, 1.0));
        var box = Box.FromMinMax(105, 202, 110, 205);
        var s = e.Sub(box);
        Assert.Equal(box, s.Box);
        Assert.Equal((105, 202), (s.Image.X0, s.Image.Y0));
        s.Image[106, 203] = 3f;
        s.Variance[106, 203] = 4f;
        s.Mask.Pixels[106, 203] = 5;
        Assert.Equal(3f, e.Image[106, 203]);
        Assert.Equal(4f, e.Variance[106, 203]);
        Assert.Equal(5, e.Mask.Pixels[106, 203]);
        Assert.Same(e.Psf, s.Psf);
        Assert.Same(e.Wcs, s.Wcs);
    }

    [Fact]
    public void Sub_SharesMaskPlaneDictionary()
    {
        using var e = new Exposure(Full);
        var s = e.Sub(Box.FromMinMax(101, 201, 103, 203));
        Assert.Same(e.Mask.Planes, s.Mask.Planes);
        int bit = s.Mask.AddPlane("INVALID_MAPREDUCE");
        Assert.Equal(bit, e.Mask.Planes.GetBit("INVALID_MAPREDUCE"));
        Assert.Equal(1 << bit, e.Mask.GetPlaneBitMask(["INVALID_MAPREDUCE"]));
    }

    [Fact]
    public void Sub_OutsideParent_Throws()
    {
        using var e = new Exposure(Full);
        Assert.Throws<ArgumentOutOfRangeException>(() => e.Sub(Box.FromMinMax(99, 200, 101, 201)));
    }

    [Fact]
    public void Clone_CopiesPixelsAndPlanes()
    {
        using var e = new Exposure(Full);
        e.Image[100, 200] = 1f;
        using var c = e.Clone();
        c.Image[100, 200] = 2f;
        c.Mask.AddPlane("X");
        Assert.Equal(1f, e.Image[100, 200]);
        Assert.False(e.Mask.Planes.TryGetBit("X", out _));
        Assert.Equal(Full, c.Box);
    }

    [Fact]
    public void MaskedImage_PlanesOnDifferentBoxes_Throws()
    {
        Assert.Throws<ArgumentException>(() => new MaskedImage(new Image<float>(Full), new Mask(Full), new Image<float>(Full.Shift(1, 0))));
    }

    [Fact]
    public void SameWcs_ComparesKeywordsAndValuesInOrder()
    {
        IReadOnlyList<HeaderCard> a = [new HeaderCard("CTYPE1", "RA---TAN"), new HeaderCard("CRVAL1", 10.0)];
        IReadOnlyList<HeaderCard> b = [new HeaderCard("CTYPE1", "RA---TAN"), new HeaderCard("CRVAL1", 10.0)];
        IReadOnlyList<HeaderCard> c = [new HeaderCard("CTYPE1", "RA---TAN"), new HeaderCard("CRVAL1", 11.0)];
        Assert.True(Exposure.SameWcs(a, b));
        Assert.False(Exposure.SameWcs(a, c));
        Assert.False(Exposure.SameWcs(a, [a[0]]));
    }
}
