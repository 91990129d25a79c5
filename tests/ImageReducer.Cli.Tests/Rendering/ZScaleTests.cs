using ImageReducer.Cli.Rendering;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Cli.Tests.Rendering;

public class ZScaleTests
{
    private static double Ramp(int i) => 100 + 10 * ((i * 7919) % 1000) / 1000.0 + (i % 97 == 0 ? 5000 : 0);

    [Fact]
    public void Compute_RampWithOutliers_MatchesAstropyZScaleInterval()
    {
        // astropy.visualization.ZScaleInterval().get_limits(v) on the same 3000 values gives
        // (100.01, 125.31456723308085); it samples v[::3][:1000], as PixelSampler does.
        var image = new Image<float>(3000, 1);
        for (int i = 0; i < 3000; i++) image[i, 0] = (float)Ramp(i);
        var (z1, z2) = ZScale.Compute(PixelSampler.Finite(image, 1000));
        // float32 storage of the pixels limits the agreement to ~1e-5 relative.
        Assert.Equal(100.01, z1, 1e-3);
        Assert.Equal(125.31456723308085, z2, 1e-3);
    }

    [Fact]
    public void Compute_NoSamples_ReturnsUnitRange()
    {
        Assert.Equal((0.0, 1.0), ZScale.Compute([]));
    }

    [Fact]
    public void Stretch_NonFiniteValue_IsNaN()
    {
        var stretch = new Stretch(StretchKind.Linear, 0, 10);
        Assert.True(double.IsNaN(stretch.Apply(double.NaN)));
        Assert.Equal(0.5, stretch.Apply(5));
        Assert.Equal(1.0, stretch.Apply(50));
    }

    [Fact]
    public void Stretch_Linear_UsesMinimumAndMaximumFiniteValues()
    {
        var image = new Image<float>(3, 1);
        image[0, 0] = -2; image[1, 0] = float.NaN; image[2, 0] = 7;
        Stretch s = Stretch.For(StretchKind.Linear, image);
        Assert.Equal((-2.0, 7.0), (s.Low, s.High));
    }

    [Fact]
    public void Stretch_Asinh_IsAboveLinearForFaintValues()
    {
        var asinh = new Stretch(StretchKind.Asinh, 0, 100);
        Assert.True(asinh.Apply(5) > 0.05 * 2, "asinh lifts faint values well above their linear level");
        Assert.Equal(1.0, asinh.Apply(100), 12);
    }
}
