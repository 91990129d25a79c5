using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Engine.Tests.PointSpread;

public class VaryingGaussianPsfTests
{
    private static readonly VaryingGaussianPsf Psf = new(15, 15, 2.0, 0.01, -0.02, new Point2D(100, 100));

    [Fact]
    public void SigmaAt_IsLinearAroundReferenceWithFloor()
    {
        Assert.Equal(2.0, Psf.SigmaAt(new Point2D(100, 100)), 1e-15);
        Assert.Equal(2.0 + 0.5 - 0.2, Psf.SigmaAt(new Point2D(150, 110)), 1e-12);
        Assert.Equal(0.3, Psf.SigmaAt(new Point2D(100, 10000)));
        Assert.Equal(new Point2D(100, 100), Psf.AveragePosition);
    }

    [Fact]
    public void ComputeKernelImage_EqualsGaussianOfLocalSigma()
    {
        var p = new Point2D(150, 110);
        using var k = Psf.ComputeKernelImage(p);
        using var g = new GaussianPsf(15, 15, Psf.SigmaAt(p)).ComputeKernelImage(Point2D.Zero);
        Assert.Equal(g.Box, k.Box);
        Assert.Equal(g.ToArray(), k.ToArray());
    }

    [Fact]
    public void ComputeFwhm_GrowsWithSigma()
    {
        Assert.True(Psf.ComputeFwhm(new Point2D(200, 100)) > Psf.ComputeFwhm() + 1.0);
        Assert.Equal(new GaussianPsf(15, 15, 2.0).ComputeFwhm(), Psf.ComputeFwhm(), 1e-12);
    }

    [Fact]
    public void Constructor_InvalidParameters_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new VaryingGaussianPsf(0, 5, 1, 0, 0, Point2D.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VaryingGaussianPsf(5, 5, -1, 0, 0, Point2D.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VaryingGaussianPsf(5, 5, 1, double.NaN, 0, Point2D.Zero));
    }
}
