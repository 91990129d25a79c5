using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.Mapping.Mappers;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Engine.Tests.Mapping.Mappers;

public sealed class PsfMapperTests
{
    [Fact]
    public void Map_VaryingPsf_ReturnsKernelAtCellCentreWithCellBox()
    {
        var psf = new VaryingGaussianPsf(11, 11, 2.0, 0.01, 0.02, new Point2D(0, 0));
        using var exposure = new Exposure(new Box(0, 0, 100, 80), psf);
        var cellBox = new Box(40, 20, 21, 30);
        var result = Assert.IsType<PsfResult>(new PsfMapper().Map(exposure.Sub(cellBox), exposure, MappingTestExposures.Context(exposure.Box, 3)));
        Assert.Equal(cellBox, result.Box);
        var kernelPsf = Assert.IsType<KernelImagePsf>(result.Psf);
        var centre = new Point2D(50, 34.5);
        Assert.Equal(centre, kernelPsf.AveragePosition);
        using var expected = psf.ComputeKernelImage(centre);
        using var actual = kernelPsf.ComputeKernelImage(new Point2D(0, 0));
        Assert.Equal(expected.Box, actual.Box);
        // KernelImagePsf renormalises to unit sum: only last-bit differences are allowed.
        double[] e = expected.ToArray(), a = actual.ToArray();
        for (int i = 0; i < e.Length; i++) Assert.Equal(e[i], a[i], 1e-15);
        using var atOrigin = psf.ComputeKernelImage(new Point2D(0, 0));
        Assert.NotEqual(atOrigin.ToArray(), a); // the test would notice a kernel taken elsewhere
    }

    [Fact]
    public void Map_NoPsf_ThrowsInvalidPsfNamingTheCell()
    {
        using var exposure = new Exposure(new Box(0, 0, 10, 10));
        var cell = exposure.Sub(new Box(0, 0, 5, 5));
        var e = Assert.Throws<InvalidPsfException>(() => new PsfMapper().Map(cell, exposure, MappingTestExposures.Context(exposure.Box, 7)));
        Assert.Contains("no", e.Message);
        Assert.Contains("cell 7", e.Message);
    }
}
