using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Engine.Tests.PointSpread;

public class DoubleGaussianPsfTests
{
    [Theory]
    [InlineData(11, 11)]
    [InlineData(10, 10)]
    [InlineData(12, 7)]
    [InlineData(1, 1)]
    public void ComputeKernelImage_UnitSumCentredAtHalfWidthMinusOne(int w, int h)
    {
        var psf = new DoubleGaussianPsf(w, h, 1.7, 3.0, 0.2);
        using var k = psf.ComputeKernelImage(new Point2D(40, 50));
        Assert.Equal(new Box(-((w - 1) / 2), -((h - 1) / 2), w, h), k.Box);
        Assert.Equal(1.0, KernelTestMath.Sum(k), 1e-14);
        Assert.Equal((0, 0), KernelTestMath.ArgMax(k));
        if (w > 1) Assert.Equal(k[1, 0], k[-1, 0], 1e-17); // symmetric about pixel 0
    }

    [Fact]
    public void ComputeKernelImage_MatchesReferenceProfile()
    {
        // f(r) ∝ exp(−r²/2σ1²) + b·exp(−r²/2σ2²), normalised: compare a ratio of two pixels.
        var psf = new DoubleGaussianPsf(11, 11, 2.0, 3.7, 0.1);
        using var k = psf.ComputeKernelImage(Point2D.Zero);
        static double F(double r2) => Math.Exp(-r2 / 8) + 0.1 * Math.Exp(-r2 / (2 * 3.7 * 3.7));
        Assert.Equal(F(9 + 16) / F(0), k[3, 4] / k[0, 0], 1e-14);
    }

    [Fact]
    public void ComputeImage_IntegerPosition_IsShiftedKernel()
    {
        var psf = new GaussianPsf(11, 11, 2.0);
        using var k = psf.ComputeKernelImage(Point2D.Zero);
        using var img = psf.ComputeImage(new Point2D(30, -7));
        Assert.Equal(k.Box.Shift(30, -7), img.Box);
        Assert.Equal(k.ToArray(), img.ToArray());
    }

    [Fact]
    public void ComputeImage_FractionalPosition_IsProfileAtTrueOffsets()
    {
        var psf = new GaussianPsf(15, 15, 2.0);
        var p = new Point2D(30.3, 9.6); // box at floor(p + 0.5) = (30, 10)
        using var img = psf.ComputeImage(p);
        Assert.Equal(new Box(23, 3, 15, 15), img.Box);
        Assert.Equal(1.0, KernelTestMath.Sum(img), 1e-14);
        double r1 = (0.3 * 0.3 + 0.4 * 0.4), r2 = (0.7 * 0.7 + 0.4 * 0.4); // pixels (30,10) and (31,10)
        Assert.Equal(Math.Exp(-(r2 - r1) / 8), img[31, 10] / img[30, 10], 1e-14);
        var c = KernelTestMath.Centroid(img);
        // Truncation at ±7 px of a sigma-2 profile offset by 0.4 px moves the centroid by ~1e-3 px.
        Assert.Equal(30.3, c.X, 2e-3);
        Assert.Equal(9.6, c.Y, 2e-3);
    }

    [Fact]
    public void ComputeImage_HalfPosition_RoundsUp()
    {
        using var img = new GaussianPsf(5, 5, 1.0).ComputeImage(new Point2D(2.5, -0.5));
        Assert.Equal(new Box(1, -2, 5, 5), img.Box); // floor(3.0) = 3, floor(0.0) = 0
    }

    [Fact]
    public void Constructor_BZeroSigma2Zero_UsesSigma2One()
    {
        var psf = new DoubleGaussianPsf(5, 5, 1.0);
        Assert.Equal(1.0, psf.Sigma2);
        Assert.Equal("doubleGaussian", psf.Kind);
        Assert.Equal("gaussian", new GaussianPsf(5, 5, 1).Kind);
    }

    [Theory]
    [InlineData(0, 5, 1.0, 0.0, 0.0)]
    [InlineData(5, 5, 0.0, 0.0, 0.0)]
    [InlineData(5, 5, 1.0, 2.0, -0.1)]
    [InlineData(5, 5, 1.0, 0.0, 0.5)]   // b > 0 needs sigma2 > 0
    [InlineData(5, 5, double.NaN, 1.0, 0.0)]
    public void Constructor_InvalidParameters_Throw(int w, int h, double s1, double s2, double b)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DoubleGaussianPsf(w, h, s1, s2, b));
    }
}
