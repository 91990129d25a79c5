using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.Mapping.Mappers;

namespace ImageReducer.Engine.Tests.Mapping.Mappers;

public sealed class BackgroundMapperTests
{
    private static readonly Box Full = new(0, 0, 64, 64);
    private static readonly Box CellBox = new(16, 16, 32, 32);

    /// <summary>Sky of 100 with unit noise and a bright star (peak 5000, sigma 1.5) at the cell centre.</summary>
    private static Exposure SkyWithStar()
    {
        var random = new Random(21);
        return MappingTestExposures.Filled(Full, (x, y) =>
        {
            double r2 = (x - 31.5) * (x - 31.5) + (y - 31.5) * (y - 31.5);
            return (float)(100 + MappingTestExposures.Gaussian(random) + 5000 * Math.Exp(-r2 / (2 * 1.5 * 1.5)));
        });
    }

    private static Exposure Run(Exposure exposure, BackgroundMapperOptions options) =>
        Assert.IsType<ExposureResult>(new BackgroundMapper(options)
            .Map(exposure.Sub(CellBox), exposure, MappingTestExposures.Context(Full))).SubExposure;

    [Theory]
    [InlineData(BackgroundStatistic.ClippedMedian)]
    [InlineData(BackgroundStatistic.ClippedMean)]
    public void Estimate_SkyWithBrightStar_StarIsClippedAway(BackgroundStatistic statistic)
    {
        using var exposure = SkyWithStar();
        double plainMean = MeanMapper.Mean(exposure.Image);
        Assert.True(plainMean > 103, $"the star should bias an unclipped mean, got {plainMean}");
        double background = new BackgroundMapper(new BackgroundMapperOptions { Statistic = statistic }).Estimate(exposure).Level;
        Assert.InRange(background, 99.9, 100.1); // 4096 N(100, 1) pixels: standard error ≈ 0.02
    }

    [Fact]
    public void Map_SkyWithBrightStar_SkyGoesToZero()
    {
        using var exposure = SkyWithStar();
        using var output = Run(exposure, new BackgroundMapperOptions());
        Assert.Equal(CellBox, output.Box);
        // Far from the star the output is the noise alone: mean ≈ 0.
        double sum = 0;
        int n = 0;
        for (int y = CellBox.MinY; y <= CellBox.MaxY; y++)
            for (int x = CellBox.MinX; x <= CellBox.MinX + 7; x++, n++) sum += output.Image[x, y];
        Assert.InRange(sum / n, -0.15, 0.15); // 256 unit-noise pixels: standard error ≈ 0.06
        // The star stays, sitting on zero: exactly input − (float)background.
        float background = (float)new BackgroundMapper(new BackgroundMapperOptions()).Estimate(exposure).Level;
        Assert.Equal(exposure.Image[31, 31] - background, output.Image[31, 31]);
        Assert.True(output.Image[31, 31] > 1000);
    }

    [Fact]
    public void Map_EstimatesOnExpandedCellNotCell()
    {
        // Cell at 100, border at 200; the expanded cell is three quarters border, so its median is 200.
        using var exposure = MappingTestExposures.Filled(Full, (x, y) => CellBox.Contains(x, y) ? 100 : 200);
        using var output = Run(exposure, new BackgroundMapperOptions());
        Assert.All(output.Image.ToArray(), v => Assert.Equal(-100f, v));
    }

    [Fact]
    public void Map_IgnoredPlanes_DoNotEnterTheEstimate()
    {
        // Most of the exposure is a masked bright region that clipping alone could not reject.
        using var exposure = MappingTestExposures.Filled(Full, (x, y) => x < 48 ? 1e4f : 100);
        int bad = 1 << exposure.Mask.Planes.GetBit("BAD");
        for (int y = 0; y < 64; y++)
            for (int x = 0; x < 48; x++) exposure.Mask.Pixels[x, y] = bad;
        Assert.Equal(100.0, new BackgroundMapper(new BackgroundMapperOptions()).Estimate(exposure).Level);
        Assert.Equal(1e4, new BackgroundMapper(new BackgroundMapperOptions { IgnoredMaskPlanes = [] }).Estimate(exposure).Level);
    }

    [Fact]
    public void Map_NoValidPixel_OutputIsNaN()
    {
        using var exposure = MappingTestExposures.Filled(Full, (_, _) => 5);
        exposure.Mask.Pixels.Fill(1 << exposure.Mask.Planes.GetBit("NO_DATA"));
        using var output = Run(exposure, new BackgroundMapperOptions());
        Assert.All(output.Image.ToArray(), v => Assert.True(float.IsNaN(v)));
    }

    [Fact]
    public void Map_LeavesInputUntouchedAndCopiesMaskAndVariance()
    {
        using var exposure = SkyWithStar();
        float[] before = exposure.Image.ToArray();
        using var output = Run(exposure, new BackgroundMapperOptions());
        Assert.Equal(before, exposure.Image.ToArray());
        Assert.Equal(exposure.Sub(CellBox).Variance.ToArray(), output.Variance.ToArray());
        Assert.Equal(exposure.Sub(CellBox).Mask.Pixels.ToArray(), output.Mask.Pixels.ToArray());
    }

    /// <summary>A tilted sky 100 + 0.5·x − 0.3·y with unit noise and the bright star.</summary>
    private static Exposure TiltedSkyWithStar()
    {
        var random = new Random(5);
        return MappingTestExposures.Filled(Full, (x, y) =>
        {
            double r2 = (x - 31.5) * (x - 31.5) + (y - 31.5) * (y - 31.5);
            return (float)(100 + 0.5 * x - 0.3 * y + MappingTestExposures.Gaussian(random) + 5000 * Math.Exp(-r2 / (2 * 1.5 * 1.5)));
        });
    }

    private static double CornerMean(Exposure output, int cornerX, int cornerY)
    {
        double sum = 0;
        for (int y = cornerY; y < cornerY + 6; y++)
            for (int x = cornerX; x < cornerX + 6; x++) sum += output.Image[x, y];
        return sum / 36;
    }

    [Fact]
    public void Map_OrderOne_RemovesAGradientThatOrderZeroLeaves()
    {
        using var exposure = TiltedSkyWithStar();
        using var plane = Run(exposure, new BackgroundMapperOptions { Order = 1 });
        using var constant = Run(exposure, new BackgroundMapperOptions { Order = 0 });
        // 36 unit-noise pixels per corner: standard error ≈ 0.17; the constant model is off by
        // |0.5·dx − 0.3·dy| ≥ 2.6 there (corner centres 13 px from the cell centre in x and y).
        foreach (var (x, y) in new[] { (16, 16), (42, 16), (16, 42), (42, 42) })
        {
            Assert.InRange(CornerMean(plane, x, y), -0.6, 0.6);
            Assert.True(Math.Abs(CornerMean(constant, x, y)) > 2, $"order 0 should leave the gradient at ({x}, {y})");
        }
        var model = new BackgroundMapper(new BackgroundMapperOptions { Order = 1 }).Estimate(exposure);
        Assert.InRange(model.SlopeX, 0.49, 0.51);
        Assert.InRange(model.SlopeY, -0.31, -0.29);
    }

    [Fact]
    public void Options_OrderTwo_IsRejected()
    {
        var e = Assert.Throws<ImageReducer.Engine.Config.ConfigValidationException>(() => new BackgroundMapperOptions { Order = 2 }.Validate());
        Assert.Equal("mapper.order", e.Field);
    }
}
