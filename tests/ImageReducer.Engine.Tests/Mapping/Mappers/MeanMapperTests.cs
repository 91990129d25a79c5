using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.Mapping.Mappers;

namespace ImageReducer.Engine.Tests.Mapping.Mappers;

public sealed class MeanMapperTests
{
    private static object? MeanOf(float[] values, int width)
    {
        var box = new Box(3, 4, width, values.Length / width);
        using var exposure = new Exposure(box);
        for (int k = 0; k < values.Length; k++) exposure.Image[box.MinX + k % width, box.MinY + k / width] = values[k];
        return Assert.IsType<ValueResult>(new MeanMapper().Map(exposure, exposure, MappingTestExposures.Context(box))).Value;
    }

    [Fact]
    public void Map_HandComputedValues_ReturnsTheirMean()
    {
        Assert.Equal(3.5, MeanOf([1, 2, 3, 4, 5, 6], width: 3));
    }

    [Fact]
    public void Map_NaNPixels_AreIgnored()
    {
        Assert.Equal(3.0, MeanOf([1, float.NaN, 3, 5, float.NaN, 3], width: 2));
    }

    [Fact]
    public void Map_AllNaN_ReturnsNaN()
    {
        Assert.True(double.IsNaN((double)MeanOf([float.NaN, float.NaN], width: 2)!));
    }

    [Fact]
    public void Map_AccumulatesInFloat64()
    {
        // In float32, 2^24 + 1 + 1 stays 2^24: a float32 accumulator would give 16777216 / 3.
        Assert.Equal((16777216.0 + 2.0) / 3.0, MeanOf([16777216f, 1f, 1f], width: 3));
    }

    [Fact]
    public void Map_CellView_UsesOnlyTheCell()
    {
        using var exposure = MappingTestExposures.Filled(new Box(0, 0, 6, 6), (x, y) => x < 3 ? 1 : 100);
        var result = new MeanMapper().Map(exposure.Sub(new Box(0, 0, 3, 6)), exposure, MappingTestExposures.Context(exposure.Box));
        Assert.Equal(1.0, Assert.IsType<ValueResult>(result).Value);
    }
}
