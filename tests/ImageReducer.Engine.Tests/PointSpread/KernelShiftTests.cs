using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Engine.Tests.PointSpread;

public class KernelShiftTests
{
    private static Image<double> GaussianKernel(int w, double sigma) => new GaussianPsf(w, w, sigma).ComputeKernelImage(Point2D.Zero);

    [Theory]
    [InlineData(0, 0)]
    [InlineData(17, -4)]
    [InlineData(-3, 250)]
    public void PlaceAt_IntegerPosition_ReturnsKernelBitIdentical(int x, int y)
    {
        using var k = GaussianKernel(11, 2.0);
        using var placed = KernelShift.PlaceAt(k, new Point2D(x, y));
        Assert.Equal(k.Box.Shift(x, y), placed.Box);
        Assert.Equal(k.ToArray(), placed.ToArray()); // exact, element by element
        Assert.False(placed.IsView); // the caller owns it
    }

    [Theory]
    [InlineData(0.3, 0.0)]
    [InlineData(-0.25, 0.4)]
    [InlineData(10.49, -7.2)]
    [InlineData(3.5, 2.5)]      // x.5 rounds up: box at 4, shift −0.5
    [InlineData(0.0, -0.45)]
    public void PlaceAt_FractionalPosition_MovesCentroidByTheOffset(double x, double y)
    {
        // A well-sampled Gaussian (sigma 2 on 21×21) loses almost nothing off the box edges, so the
        // centroid moves by the first moment of the Lanczos-5 weights, Σ m·L(m − d) / Σ L(m − d),
        // which is not exactly d for a truncated sinc: it differs by at most 0.0116 px over
        // d ∈ [−0.5, 0.5] (computed with numpy at authoring time). Hence 0.012 px, and a tighter
        // 2e-4 px check against that first moment computed here (the rest is the tail lost off the box).
        using var k = GaussianKernel(21, 2.0);
        var p = new Point2D(x, y);
        using var placed = KernelShift.PlaceAt(k, p);
        int ix = (int)Math.Floor(x + 0.5), iy = (int)Math.Floor(y + 0.5);
        Assert.Equal(k.Box.Shift(ix, iy), placed.Box);
        var c = KernelTestMath.Centroid(placed);
        Assert.Equal(x, c.X, 0.012);
        Assert.Equal(y, c.Y, 0.012);
        Assert.Equal(ix + LanczosFirstMoment(x - ix), c.X, 2e-4);
        Assert.Equal(iy + LanczosFirstMoment(y - iy), c.Y, 2e-4);
        Assert.Equal(1.0, KernelTestMath.Sum(placed), 1e-12);
    }

    private static double LanczosFirstMoment(double d)
    {
        double s = 0, sm = 0;
        for (int m = -KernelShift.Order; m <= KernelShift.Order; m++)
        {
            double w = KernelShift.Lanczos(m - d);
            s += w;
            sm += m * w;
        }
        return sm / s;
    }

    [Fact]
    public void PlaceAt_FractionalPosition_ApproximatesTheAnalyticProfile()
    {
        // Compare with the analytic Gaussian evaluated at the true offsets (DoubleGaussianPsf.ComputeImage):
        // Lanczos-5 reproduces a sigma-2 profile to ~2e-3 of its peak (numpy check at authoring
        // time: 1-D max error 3.1e-4 on a peak of 0.197), so 2.5e-3 × peak.
        var psf = new GaussianPsf(21, 21, 2.0);
        using var k = psf.ComputeKernelImage(Point2D.Zero);
        var p = new Point2D(5.3, -2.2);
        using var shifted = KernelShift.PlaceAt(k, p);
        using var exact = psf.ComputeImage(p);
        Assert.Equal(exact.Box, shifted.Box);
        var a = shifted.ToArray();
        var e = exact.ToArray();
        double tol = 2.5e-3 * e.Max();
        for (int i = 0; i < a.Length; i++) Assert.Equal(e[i], a[i], tol);
    }

    [Fact]
    public void PlaceAt_DoesNotModifyTheInputKernel()
    {
        using var k = GaussianKernel(11, 1.5);
        var before = k.ToArray();
        using var _ = KernelShift.PlaceAt(k, new Point2D(0.3, 0.2));
        Assert.Equal(before, k.ToArray());
    }

    [Fact]
    public void Lanczos_IsOneAtZeroZeroAtIntegersAndOutsideSupport()
    {
        Assert.Equal(1.0, KernelShift.Lanczos(0));
        for (int n = 1; n <= 6; n++)
        {
            Assert.Equal(0.0, KernelShift.Lanczos(n), 1e-15);
            Assert.Equal(0.0, KernelShift.Lanczos(-n), 1e-15);
        }
        Assert.Equal(0.0, KernelShift.Lanczos(5.2));
        Assert.True(KernelShift.Lanczos(0.5) > 0.6);
    }

    [Fact]
    public void PlaceAt_NonFinitePosition_Throws()
    {
        using var k = GaussianKernel(5, 1.0);
        Assert.Throws<ArgumentException>(() => KernelShift.PlaceAt(k, new Point2D(double.NaN, 0)));
    }
}
