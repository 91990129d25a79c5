using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Engine.Tests.PointSpread;

public class KernelImagePsfTests
{
    [Fact]
    public void Constructor_NormalisesAndRecentresAnyBox()
    {
        var k = new Image<double>(new Box(50, 60, 4, 3));
        k.Fill(2.0);
        k[51, 61] = 10;
        var psf = new KernelImagePsf(k);
        using var kernel = psf.ComputeKernelImage(new Point2D(3, 3));
        Assert.Equal(new Box(-1, -1, 4, 3), kernel.Box);
        Assert.Equal(1.0, KernelTestMath.Sum(kernel), 1e-15);
        Assert.Equal(10.0 / 32.0, kernel[0, 0], 1e-15);
        Assert.Equal(2.0, k[50, 60]); // input untouched
    }

    [Fact]
    public void ComputeKernelImage_ReturnsIndependentCopy()
    {
        var psf = new KernelImagePsf(new GaussianPsf(7, 7, 1.0).ComputeKernelImage(Point2D.Zero));
        using (var a = psf.ComputeKernelImage(Point2D.Zero)) a[0, 0] = 99;
        using var b = psf.ComputeKernelImage(Point2D.Zero);
        Assert.NotEqual(99, b[0, 0]);
    }

    [Fact]
    public void ComputeImage_IntegerPositionExact_FractionalShifted()
    {
        var g = new GaussianPsf(15, 15, 2.0);
        var psf = new KernelImagePsf(g.ComputeKernelImage(Point2D.Zero), new Point2D(5, 6));
        Assert.Equal(new Point2D(5, 6), psf.AveragePosition);
        using var atInt = psf.ComputeImage(new Point2D(12, 13));
        using var kernel = psf.ComputeKernelImage(Point2D.Zero);
        Assert.Equal(kernel.Box.Shift(12, 13), atInt.Box);
        Assert.Equal(kernel.ToArray(), atInt.ToArray()); // bit-identical at integer positions
        using var frac = psf.ComputeImage(new Point2D(12.25, 13));
        Assert.Equal(atInt.Box, frac.Box);
        Assert.True(KernelTestMath.Centroid(frac).X > 12.2);
    }

    [Fact]
    public void ComputeFwhm_SameAsTheAnalyticPsfItWasSampledFrom()
    {
        var g = new GaussianPsf(11, 11, 2.0);
        var psf = new KernelImagePsf(g.ComputeKernelImage(Point2D.Zero));
        Assert.Equal(g.ComputeFwhm(), psf.ComputeFwhm(), 1e-12);
    }

    [Fact]
    public void Constructor_ZeroSumOrNonFinite_Throws()
    {
        var zero = new Image<double>(new Box(0, 0, 3, 3));
        Assert.Throws<ArgumentException>(() => new KernelImagePsf(zero));
        var nan = new Image<double>(new Box(0, 0, 3, 3));
        nan[1, 1] = double.NaN;
        Assert.Throws<ArgumentException>(() => new KernelImagePsf(nan));
    }
}
