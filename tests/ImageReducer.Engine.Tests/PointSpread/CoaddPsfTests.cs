using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Engine.Tests.PointSpread;

public class CoaddPsfTests
{
    private static readonly Box Left = Box.FromMinMax(0, 0, 9, 9);
    private static readonly Box Right = Box.FromMinMax(10, 0, 19, 9);

    [Theory]
    [InlineData(-0.5, 0, 1)]      // min − 0.5: inside Left
    [InlineData(9.49, 0, 1)]
    [InlineData(9.5, 0, 2)]       // max + 0.5 of Left is outside it; Right starts at 9.5
    [InlineData(19.4, 9.4, 2)]
    public void Select_HalfOpenContainment(double x, double y, int which)
    {
        var a = new GaussianPsf(5, 5, 1.0);
        var b = new GaussianPsf(5, 5, 2.0);
        var coadd = new CoaddPsf([new(a, Left), new(b, Right)]);
        var sel = coadd.Select(new Point2D(x, y));
        Assert.Single(sel);
        Assert.Same(which == 1 ? a : b, sel[0].Psf);
    }

    [Theory]
    [InlineData(-0.51, 0)]
    [InlineData(19.5, 0)]
    [InlineData(5, 9.5)]
    public void ComputeKernelImage_NoComponentCovers_ThrowsInvalidPsf(double x, double y)
    {
        var coadd = new CoaddPsf([new(new GaussianPsf(5, 5, 1.0), Left), new(new GaussianPsf(5, 5, 2.0), Right)]);
        var ex = Assert.Throws<InvalidPsfException>(() => coadd.ComputeKernelImage(new Point2D(x, y)));
        Assert.Contains("no input images", ex.Message);
    }

    [Fact]
    public void ComputeKernelImage_DifferentSizes_SummedOnUnionZeroFilledWithWeights()
    {
        var small = new GaussianPsf(5, 5, 1.0);
        var large = new GaussianPsf(11, 9, 2.0);
        var both = Box.FromMinMax(0, 0, 19, 9);
        var coadd = new CoaddPsf([new(small, both, 3.0), new(large, both, 1.0)]);
        using var k = coadd.ComputeKernelImage(new Point2D(4, 4));
        Assert.Equal(new Box(-5, -4, 11, 9), k.Box);
        using var ks = small.ComputeKernelImage(Point2D.Zero);
        using var kl = large.ComputeKernelImage(Point2D.Zero);
        Assert.Equal((3 * ks[1, 1] + kl[1, 1]) / 4, k[1, 1], 1e-15);
        Assert.Equal(kl[-5, 4] / 4, k[-5, 4], 1e-18); // outside the small kernel: zero-filled
        Assert.Equal(1.0, KernelTestMath.Sum(k), 1e-14);
    }

    [Fact]
    public void ComputeKernelImage_ComponentsNotUnitSum_AreNormalisedFirst()
    {
        // A KernelImagePsf is unit-sum already; a custom component is not required to be.
        var k1 = new Image<double>(new Box(-1, -1, 3, 3)); k1[0, 0] = 5;   // unit after normalising
        var psf1 = new ScaledPsf(k1);
        var coadd = new CoaddPsf([new(psf1, Left), new(new GaussianPsf(3, 3, 1.0), Left)]);
        using var k = coadd.ComputeKernelImage(new Point2D(1, 1));
        Assert.Equal(1.0, KernelTestMath.Sum(k), 1e-14);
    }

    [Fact]
    public void ComputeKernelImage_OnlyZeroWeightComponents_ThrowsInvalidPsf()
    {
        var coadd = new CoaddPsf([new(new GaussianPsf(5, 5, 1.0), Left, 0.0), new(new GaussianPsf(5, 5, 1.0), Right, 1.0)]);
        Assert.Throws<InvalidPsfException>(() => coadd.ComputeKernelImage(new Point2D(3, 3)));
        using var k = coadd.ComputeKernelImage(new Point2D(13, 3));
        Assert.Equal(1.0, KernelTestMath.Sum(k), 1e-14);
    }

    [Fact]
    public void AveragePosition_IsWeightedMeanOfComponents()
    {
        var coadd = new CoaddPsf([
            new(new KernelImagePsf(new GaussianPsf(3, 3, 1).ComputeKernelImage(Point2D.Zero), new Point2D(0, 10)), Left, 1.0),
            new(new KernelImagePsf(new GaussianPsf(3, 3, 1).ComputeKernelImage(Point2D.Zero), new Point2D(8, 2)), Right, 3.0)]);
        Assert.Equal(new Point2D(6, 4), coadd.AveragePosition);
        Assert.Equal("coadd", coadd.Kind);
    }

    [Fact]
    public void ComputeImage_IntegerPosition_IsKernelPlacedAtPosition()
    {
        var g = new GaussianPsf(5, 5, 1.0);
        var coadd = new CoaddPsf([new(g, Left), new(new GaussianPsf(5, 5, 1.0), Left)]);
        using var img = coadd.ComputeImage(new Point2D(3, 4));
        using var expected = g.ComputeImage(new Point2D(3, 4));
        Assert.Equal(expected.Box, img.Box);
        var a = img.ToArray(); var e = expected.ToArray();
        for (int i = 0; i < a.Length; i++) Assert.Equal(e[i], a[i], 1e-16);
    }

    [Fact]
    public void ComputeFwhm_OfIdenticalComponents_IsTheComponentFwhm()
    {
        var g = new GaussianPsf(11, 11, 2.0);
        var coadd = new CoaddPsf([new(g, Left), new(g, Right)]);
        // AveragePosition (0,0) lies in Left. Same kernel: same adaptive moments up to the rounding
        // of the weighted average.
        Assert.Equal(g.ComputeFwhm(), coadd.ComputeFwhm(), 1e-9);
    }

    [Fact]
    public void Constructor_NoComponentsOrBadWeight_Throws()
    {
        Assert.Throws<ArgumentException>(() => new CoaddPsf([]));
        Assert.Throws<ArgumentException>(() => new CoaddPsf([new(new GaussianPsf(3, 3, 1), Left, -1)]));
        Assert.Throws<ArgumentException>(() => new CoaddPsf([new(new GaussianPsf(3, 3, 1), Left, double.PositiveInfinity)]));
    }

    /// <summary>A PSF whose kernel is not unit-sum (the coadd must normalise it).</summary>
    private sealed class ScaledPsf(Image<double> kernel) : Psf
    {
        public override Image<double> ComputeKernelImage(Point2D position) => kernel.Clone();
        public override Image<double> ComputeImage(Point2D position) => kernel.Clone();
        public override string Kind => "scaled";
    }
}
