using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping.Statistics;

namespace ImageReducer.Engine.Tests.Mapping.Statistics;

public sealed class SigmaClippedStatisticsTests
{
    private static Image<float> Row(params float[] values) => Image<float>.Wrap(values, new Box(0, 0, values.Length, 1));

    [Fact]
    public void Compute_OddCount_MedianIsMiddleValue()
    {
        Assert.Equal(3.0, new SigmaClippedStatistics().Compute(Row(5, 1, 3, 9, 2)).Median);
    }

    [Fact]
    public void Compute_EvenCount_MedianIsMeanOfMiddleValues()
    {
        Assert.Equal(2.5, new SigmaClippedStatistics().Compute(Row(4, 1, 3, 2)).Median);
    }

    [Fact]
    public void Compute_HandComputedValues_PlainStatistics()
    {
        var s = new SigmaClippedStatistics().Compute(Row(2, 4, 4, 4, 5, 5, 7, 9));
        Assert.Equal(5.0, s.Mean);
        Assert.Equal(Math.Sqrt(32.0 / 7.0), s.StdDev, 14); // sample stddev, n − 1
        Assert.Equal(2.0, s.Min);
        Assert.Equal(9.0, s.Max);
        Assert.Equal(8, s.ValidPixels);
    }

    [Theory]
    [InlineData(0.25, 1.75)]
    [InlineData(0.5, 2.5)]
    [InlineData(0.75, 3.25)]
    [InlineData(1.0, 4.0)]
    public void Quantile_MatchesNumpyLinearInterpolation(double p, double expected)
    {
        // numpy.percentile([1, 2, 3, 4], 100 * p) with the default 'linear' method.
        Assert.Equal(expected, SigmaClippedStatistics.Quantile([1f, 2f, 3f, 4f], p));
    }

    [Fact]
    public void Compute_OneOutlier_IsClippedAway()
    {
        var random = new Random(11);
        var values = Enumerable.Range(0, 400).Select(_ => (float)(10 + MappingTestExposures.Gaussian(random))).Append(1000f).ToArray();
        var s = new SigmaClippedStatistics(3, 3).Compute(Row(values));
        Assert.True(s.Mean > 12, $"the plain mean should be pulled up by the outlier, got {s.Mean}");
        Assert.InRange(s.ClippedMean, 9.8, 10.2); // 400 N(10, 1) samples: standard error 0.05
        Assert.InRange(s.ClippedStdDev, 0.85, 1.15);
        Assert.InRange(s.ClippedPixels, 380, 400);
        Assert.Equal(401, s.ValidPixels);
    }

    [Fact]
    public void Compute_IgnoredPlanesAndNonFinitePixels_AreNotCounted()
    {
        var box = new Box(5, 5, 4, 3);
        using var image = new Image<float>(box);
        using var mask = new Mask(box);
        image.Fill(2);
        image[5, 5] = float.NaN;
        image[6, 5] = float.PositiveInfinity;
        image[7, 5] = 1e6f;
        mask.Pixels[7, 5] = 1 << mask.Planes.GetBit("BAD");
        image[8, 5] = -1e6f;
        mask.Pixels[8, 5] = 1 << mask.Planes.GetBit("SAT");
        mask.Pixels[5, 6] = 1 << mask.Planes.GetBit("DETECTED"); // not ignored: still counted
        int ignored = SigmaClippedStatistics.IgnoredBits(mask.Planes, ["BAD", "SAT"]);
        var s = new SigmaClippedStatistics().Compute(image, mask, ignored);
        Assert.Equal(12, s.TotalPixels);
        Assert.Equal(8, s.ValidPixels);
        Assert.Equal(2.0, s.Mean);
        Assert.Equal(2.0, s.Max);
        Assert.Equal(box, s.Box);
    }

    [Fact]
    public void IgnoredBits_PlaneMissingFromMask_IsSkipped()
    {
        var planes = MaskPlaneDictionary.FromBits([new("BAD", 4)]);
        Assert.Equal(1 << 4, SigmaClippedStatistics.IgnoredBits(planes, ["BAD", "NO_DATA"]));
    }

    [Fact]
    public void Compute_NoValidPixel_ReturnsNaNAndZeroCounts()
    {
        var s = new SigmaClippedStatistics().Compute(Row(float.NaN, float.NegativeInfinity));
        Assert.Equal(0, s.ValidPixels);
        Assert.Equal(0, s.ClippedPixels);
        Assert.True(double.IsNaN(s.Mean) && double.IsNaN(s.Median) && double.IsNaN(s.ClippedMean) && double.IsNaN(s.ClippedStdDev));
    }

    [Fact]
    public void Compute_ConstantValues_ClippedStatisticsAreThatValue()
    {
        var s = new SigmaClippedStatistics().Compute(Row(7, 7, 7, 7, 7));
        Assert.Equal(7.0, s.ClippedMean);
        Assert.Equal(7.0, s.ClippedMedian);
        Assert.Equal(0.0, s.ClippedStdDev);
        Assert.Equal(5, s.ClippedPixels);
    }

    [Fact]
    public void Compute_NonContiguousView_UsesOnlyTheView()
    {
        using var image = new Image<float>(new Box(0, 0, 6, 6));
        image.Fill(100);
        using var view = image.Sub(new Box(1, 1, 3, 3));
        view.Fill(1);
        var s = new SigmaClippedStatistics().Compute(view);
        Assert.Equal(9, s.ValidPixels);
        Assert.Equal(1.0, s.Max);
    }

    [Theory]
    [InlineData(0, 3)]
    [InlineData(double.NaN, 3)]
    [InlineData(3, 0)]
    public void Constructor_InvalidParameters_Throw(double clipSigma, int iterations)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SigmaClippedStatistics(clipSigma, iterations));
    }
}
