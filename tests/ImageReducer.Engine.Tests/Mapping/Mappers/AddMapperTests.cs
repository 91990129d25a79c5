using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.Mapping.Mappers;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Engine.Tests.Mapping.Mappers;

public sealed class AddMapperTests
{
    private static Exposure Input() => MappingTestExposures.Noise(new Box(10, 20, 12, 9), level: 1000, sigma: 7, seed: 3);

    private static Exposure Run(Exposure exposure, Box cellBox, AddMapperOptions options)
    {
        var result = new AddMapper(options).Map(exposure.Sub(cellBox), exposure, MappingTestExposures.Context(exposure.Box));
        return Assert.IsType<ExposureResult>(result).SubExposure;
    }

    [Fact]
    public void Map_AddsTheFloat32AmountExactly()
    {
        using var exposure = Input();
        var cellBox = new Box(12, 22, 6, 5);
        using var output = Run(exposure, cellBox, new AddMapperOptions { AddAmount = 0.1 });
        Assert.Equal(cellBox, output.Box);
        // Bit-exact: afw converts the scalar to float32 and adds in float32; 0.1 is not representable,
        // so adding it as a double and rounding afterwards would differ on some pixels.
        for (int y = cellBox.MinY; y <= cellBox.MaxY; y++)
            for (int x = cellBox.MinX; x <= cellBox.MaxX; x++)
                Assert.Equal(exposure.Image[x, y] + 0.1f, output.Image[x, y]);
    }

    [Fact]
    public void Map_SharesMaskAndVarianceAsViewsAndKeepsPsfWcsMetadata()
    {
        using var exposure = Input();
        exposure.Psf = new GaussianPsf(5, 5, 1.0);
        exposure.Mask.Pixels[14, 23] = 1 << exposure.Mask.Planes.GetBit("CR");
        var cellBox = new Box(12, 22, 6, 5);
        using var output = Run(exposure, cellBox, new AddMapperOptions());
        Assert.Equal(exposure.Sub(cellBox).Mask.Pixels.ToArray(), output.Mask.Pixels.ToArray());
        Assert.Equal(exposure.Sub(cellBox).Variance.ToArray(), output.Variance.ToArray());
        Assert.Same(exposure.Mask.Planes, output.Mask.Planes);
        Assert.Same(exposure.Psf, output.Psf);
        Assert.Same(exposure.Wcs, output.Wcs);
        Assert.False(output.Image.IsView);
        // add does not change mask or variance: they are non-owning views of the cell, not copies.
        Assert.True(output.Mask.Pixels.IsView);
        Assert.True(output.Variance.IsView);
    }

    [Fact]
    public void Map_OfAnOwningExposure_DisposingOutputLeavesItsMaskAndVarianceUsable()
    {
        using var exposure = Input();
        float variance = exposure.Variance[15, 25];
        var result = new AddMapper(new AddMapperOptions()).Map(exposure, exposure, MappingTestExposures.Context(exposure.Box));
        Assert.IsType<ExposureResult>(result).SubExposure.Dispose();
        // The output's mask and variance are views even when the mapper was given the owning exposure itself.
        Assert.Equal(variance, exposure.Variance[15, 25]);
        Assert.Equal(0, exposure.Mask.Pixels[15, 25]);
    }

    [Fact]
    public void Map_WideCell_AddsEveryPixelIncludingTheVectorTail()
    {
        var box = new Box(3, 5, 41, 3);
        using var exposure = MappingTestExposures.Noise(box, level: 10, sigma: 3, seed: 9);
        using var output = Run(exposure, box, new AddMapperOptions { AddAmount = 0.3 });
        // Bit-exact: one float32 addition per pixel, vector lanes and the scalar tail alike.
        for (int y = box.MinY; y <= box.MaxY; y++)
            for (int x = box.MinX; x <= box.MaxX; x++)
                Assert.Equal(exposure.Image[x, y] + 0.3f, output.Image[x, y]);
    }

    [Fact]
    public void Map_LeavesInputUntouched()
    {
        using var exposure = Input();
        float[] image = exposure.Image.ToArray(), variance = exposure.Variance.ToArray();
        int[] mask = exposure.Mask.Pixels.ToArray();
        using (Run(exposure, new Box(10, 20, 12, 9), new AddMapperOptions { AddAmount = 5, AddNans = true })) { }
        Assert.Equal(image, exposure.Image.ToArray());
        Assert.Equal(variance, exposure.Variance.ToArray());
        Assert.Equal(mask, exposure.Mask.Pixels.ToArray());
    }

    [Fact]
    public void Map_AddNans_SetsOnlyPixelZeroZeroOfTheCell()
    {
        using var exposure = Input();
        var cellBox = new Box(13, 24, 5, 4);
        using var output = Run(exposure, cellBox, new AddMapperOptions { AddNans = true });
        for (int y = cellBox.MinY; y <= cellBox.MaxY; y++)
            for (int x = cellBox.MinX; x <= cellBox.MaxX; x++)
                Assert.Equal(x == 13 && y == 24, float.IsNaN(output.Image[x, y]));
        Assert.False(float.IsNaN(output.Variance[13, 24]));
    }

    [Fact]
    public void Map_WithoutAddNans_HasNoNaN()
    {
        using var exposure = Input();
        using var output = Run(exposure, new Box(13, 24, 5, 4), new AddMapperOptions());
        Assert.DoesNotContain(output.Image.ToArray(), float.IsNaN);
    }

    [Fact]
    public void Map_DisposingOutput_ReleasesItsBuffersNotTheInput()
    {
        using var exposure = Input();
        float before = exposure.Image[15, 25];
        var output = Run(exposure, new Box(12, 22, 6, 5), new AddMapperOptions());
        output.Dispose();
        // The output owned its (pooled) buffers: after the runner's Dispose they are gone.
        Assert.Throws<ObjectDisposedException>(() => output.Image.RowAt(0).Length);
        Assert.Equal(before, exposure.Image[15, 25]);
    }
}
