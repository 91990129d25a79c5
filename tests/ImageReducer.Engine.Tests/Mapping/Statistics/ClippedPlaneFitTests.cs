using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping.Statistics;

namespace ImageReducer.Engine.Tests.Mapping.Statistics;

public sealed class ClippedPlaneFitTests
{
    [Fact]
    public void Fit_ExactPlane_RecoversItsCoefficients()
    {
        var box = new Box(10, 20, 30, 25);
        using var image = new Image<float>(box);
        for (int y = box.MinY; y <= box.MaxY; y++)
            for (int x = box.MinX; x <= box.MaxX; x++) image[x, y] = (float)(50 + 0.25 * x - 0.75 * y);
        var stats = new SigmaClippedStatistics().Compute(image);
        var plane = new ClippedPlaneFit().Fit(image, null, 0, stats.ClippedMedian, stats.ClippedStdDev);
        // The pixels are float32 (≈ 4e-6 absolute rounding at these values), hence the tolerance.
        Assert.Equal(0.25, plane.SlopeX, 1e-5);
        Assert.Equal(-0.75, plane.SlopeY, 1e-5);
        Assert.Equal(50 + 0.25 * 24 - 0.75 * 32, plane.At(24, 32), 1e-4);
    }

    [Fact]
    public void Fit_SingleRow_KeepsTheStartingConstant()
    {
        using var image = Image<float>.Wrap([1f, 2f, 3f, 4f, 5f], new Box(0, 0, 5, 1));
        var plane = new ClippedPlaneFit().Fit(image, null, 0, startLevel: 3, startSigma: 1.5);
        Assert.Equal(3.0, plane.Level);
        Assert.Equal(0.0, plane.SlopeX);
        Assert.Equal(0.0, plane.SlopeY);
    }

    [Fact]
    public void Fit_NaNStart_GivesNaNPlane()
    {
        using var image = new Image<float>(4, 4);
        Assert.True(double.IsNaN(new ClippedPlaneFit().Fit(image, null, 0, double.NaN, double.NaN).At(1, 1)));
    }
}
