using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.Mapping.Mappers;

namespace ImageReducer.Engine.Tests.Mapping.Mappers;

public sealed class IdentityMapperTests
{
    [Fact]
    public void Map_Cell_ReturnsViewOfTheSamePixels()
    {
        using var exposure = MappingTestExposures.Filled(new Box(0, 0, 8, 6), (x, y) => x + 10 * y);
        var cell = exposure.Sub(new Box(2, 1, 4, 3));
        var result = Assert.IsType<ExposureResult>(new IdentityMapper().Map(cell, exposure, MappingTestExposures.Context(exposure.Box)));
        Assert.Equal(cell.Box, result.SubExposure.Box);
        Assert.True(result.SubExposure.Image.IsView);
        Assert.Equal(cell.Image.ToArray(), result.SubExposure.Image.ToArray());
        Assert.Same(exposure.Psf, result.SubExposure.Psf);
    }

    [Fact]
    public void Map_ResultDisposedByRunner_LeavesInputUsable()
    {
        using var exposure = MappingTestExposures.Filled(new Box(0, 0, 5, 5), (x, y) => x * y);
        // Even if a runner passed the owning exposure itself as the cell, disposing the result must not free it.
        var result = (ExposureResult)new IdentityMapper().Map(exposure, exposure, MappingTestExposures.Context(exposure.Box));
        result.SubExposure.Dispose();
        Assert.Equal(12f, exposure.Image[3, 4]);
    }
}
