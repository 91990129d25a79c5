using ImageReducer.Engine.Config;
using ImageReducer.Engine.Errors;
using ImageReducer.Engine.Gridding;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.Mapping.Auxiliary;
using ImageReducer.Engine.Mapping.Mappers;
using ImageReducer.Engine.PointSpread;
using ImageReducer.Engine.Reducing;
using ImageReducer.Engine.Running;
using ImageReducer.Engine.Fits;
using ImageReducer.TestSupport;
using Xunit.Abstractions;
using ImageReducer.Engine.Tests.Running;

namespace ImageReducer.Engine.Tests.Mapping.Diffim;

/// <summary><c>decorrelateAL</c>: the A&amp;L decorrelation per cell, against the numpy port of LSST's task and analytic cases.</summary>
public class DecorrelateALMapperTests(ITestOutputHelper output)
{
    private static MapReduceRunner Runner(IMapper mapper, int workers = 2) =>
        new(mapper, new ReducerConfig { ReduceOperation = ReduceOperation.Average }, new EngineOptions { MaxDegreeOfParallelism = workers });

    private static DecorrelateALMapper Mapper(bool complete = false, bool templateMatched = true) =>
        new(new DecorrelateALMapperOptions { CompleteVarPlanePropagation = complete, TemplateMatched = templateMatched });

    /// <summary>The kernels a decorrelateAL cell evaluates: κ and the unconvolved image's PSF at the expanded box's centre.</summary>
    private static IEnumerable<DiffimReference.CellKernel> Kernels(Grid grid, int i, AuxiliaryKernel kernel, Psf psf, string psfName = "sciencePsf")
    {
        Box e = grid.ExpandedCells[i];
        var at = new Point2D((e.MinX + e.MaxX + 1) / 2.0, (e.MinY + e.MaxY + 1) / 2.0);
        yield return new("psfMatchingKernel", at, kernel.ComputeImage(at));
        yield return new(psfName, at, psf.ComputeKernelImage(at));
    }

    [Fact]
    public void DeltaKernelAndEqualVariances_LeaveTheDifferenceAsItIsAndAddTheVariances()
    {
        // κ = δ: |κ̂| = 1 everywhere, so φ = 1, w1 = w2 = 1 and the PSF is unchanged.
        using DiffimScene scene = DiffimScene.Create(width: 64, height: 60, stars: 10);
        using var delta = new Image<double>(new Box(-2, -2, 5, 5));
        delta[0, 0] = 1;
        using var aux = new AuxiliaryData(new Dictionary<string, Exposure> { ["science"] = scene.Science.Sub(scene.Science.Box), ["template"] = scene.Template.Sub(scene.Science.Box) },
            new Dictionary<string, AuxiliaryKernel> { ["psfMatchingKernel"] = AuxiliaryKernel.Fixed(delta) });
        var config = DiffimScene.LsstConfig("decorrelateAL", cell: 20, step: 20, border: 4);

        using Exposure result = Runner(Mapper()).Run(scene.Difference, scene.Grid(config), auxiliary: aux).Reduced.Exposure!;

        for (int y = result.Box.MinY; y <= result.Box.MaxY; y++)
            for (int x = result.Box.MinX; x <= result.Box.MaxX; x++)
            {
                float d = scene.Difference.Image[x, y];
                if (float.IsNaN(d)) { Assert.True(float.IsNaN(result.Image[x, y])); continue; }
                Assert.Equal(d, result.Image[x, y], Math.Abs(d) * 1e-5 + 1e-3);
                Assert.Equal(scene.Science.Variance[x, y] + scene.Template.Variance[x, y], result.Variance[x, y], 1e-3);
            }
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void StarField_MatchesTheNumpyPortPixelByPixel(bool complete, bool templateMatched)
    {
        using DiffimScene scene = DiffimScene.Create();
        var config = DiffimScene.LsstConfig("decorrelateAL");
        Grid grid = scene.Grid(config);
        using AuxiliaryData aux = scene.Auxiliary("science", "template");
        var mapper = Mapper(complete, templateMatched);

        using Exposure engine = Runner(mapper).Run(scene.Difference, grid, auxiliary: aux).Reduced.Exposure!;
        var numpy = DiffimReference.Run("decorrelateAL",
            new Dictionary<string, object> { ["completeVarPlanePropagation"] = complete, ["templateMatched"] = templateMatched },
            scene.Difference, new Dictionary<string, Exposure> { ["science"] = scene.Science, ["template"] = scene.Template }, grid,
            i => Kernels(grid, i, aux.Kernels["psfMatchingKernel"], templateMatched ? scene.Science.Psf! : scene.Template.Psf!,
                templateMatched ? "sciencePsf" : "templatePsf"));

        // The planes, the mask and the corrected PSF of every cell.
        output.WriteLine(DiffimAssert.MatchesPort(engine, numpy, Runner(mapper).MapAll(scene.Difference, grid, auxiliary: aux), "image"));
    }

    [Fact]
    public void InstrumentSeed_MatchesTheNumpyPort()
    {
        // The LSST-layout seed the FITS tests use (64 × 64 at (10, 20), double-Gaussian PSF) as the science image; the
        // template is the same file's pixels scaled and offset, with a narrower PSF; the difference is science − template.
        using Exposure science = ExposureFits.Read(new MemoryStream(MalformedFitsCorpus.Seeds()["lsst"]));
        using Exposure template = science.Clone();
        template.Psf = new GaussianPsf(9, 9, 1.0);
        foreach (ref float v in template.Image.Pixels) v = v * 0.8f + 3f;
        using Exposure difference = science.Clone();
        for (int r = 0; r < difference.Height; r++)
        {
            Span<float> d = difference.Image.RowAt(r);
            ReadOnlySpan<float> t = template.Image.RowAt(r);
            for (int i = 0; i < d.Length; i++) d[i] -= t[i];
        }
        using var kernelImage = new GaussianPsf(7, 7, 1.1).ComputeKernelImage(new Point2D(0, 0));
        using var aux = new AuxiliaryData(new Dictionary<string, Exposure> { ["science"] = science.Sub(science.Box), ["template"] = template.Sub(science.Box) },
            new Dictionary<string, AuxiliaryKernel> { ["psfMatchingKernel"] = AuxiliaryKernel.Fixed(kernelImage) });
        Grid grid = GridBuilder.Build(science, DiffimScene.LsstConfig("decorrelateAL", cell: 24, step: 20, border: 6));

        using Exposure engine = Runner(Mapper()).Run(difference, grid, auxiliary: aux).Reduced.Exposure!;
        var numpy = DiffimReference.Run("decorrelateAL", new Dictionary<string, object>(), difference,
            new Dictionary<string, Exposure> { ["science"] = science, ["template"] = template }, grid,
            i => Kernels(grid, i, aux.Kernels["psfMatchingKernel"], science.Psf!));

        DiffimAssert.Close(engine.Image, numpy.Image, "image");
        DiffimAssert.Close(engine.Variance, numpy.Variance, "variance");
    }

    [Fact]
    public void Output_IsByteIdenticalWhateverTheThreadsAndTheParts()
    {
        using DiffimScene scene = DiffimScene.Create(seed: 4);
        Grid grid = scene.Grid(DiffimScene.LsstConfig("decorrelateAL", cell: 25, step: 24, border: 6));
        using AuxiliaryData aux = scene.Auxiliary("science", "template");
        using Exposure one = Runner(Mapper(), workers: 1).Run(scene.Difference, grid, auxiliary: aux).Reduced.Exposure!;
        using Exposure three = Runner(Mapper(), workers: 3).Run(scene.Difference, grid, auxiliary: aux).Reduced.Exposure!;

        // The lower half as one part of a distributed run (a tile), from pieces of every input.
        Box region = Box.FromMinMax(one.Box.MinX, one.Box.MinY, one.Box.MaxX, one.Box.MinY + one.Height / 2);
        var (cells, pieceBox) = TestGrids.PartFor(grid, region);
        using Exposure piece = scene.Difference.Sub(pieceBox).Clone();
        using var auxPiece = new AuxiliaryData(
            new Dictionary<string, Exposure> { ["science"] = scene.Science.Sub(pieceBox).Clone(), ["template"] = scene.Template.Sub(pieceBox).Clone() },
            new Dictionary<string, AuxiliaryKernel> { ["psfMatchingKernel"] = aux.Kernels["psfMatchingKernel"] });
        using Exposure part = Runner(Mapper(), workers: 2).RunPart(piece, grid, new GridPart(cells, scene.Difference.Box, region), auxiliary: auxPiece).Reduced.Exposure!;

        Assert.Equal(Bytes(one), Bytes(three));
        for (int y = region.MinY; y <= region.MaxY; y++)
            for (int x = region.MinX; x <= region.MaxX; x++)
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(one.Image[x, y]), BitConverter.SingleToInt32Bits(part.Image[x, y]));
                Assert.Equal(BitConverter.SingleToInt32Bits(one.Variance[x, y]), BitConverter.SingleToInt32Bits(part.Variance[x, y]));
            }
    }

    [Fact]
    public void MissingKernel_IsTheCallersError()
    {
        using DiffimScene scene = DiffimScene.Create(width: 40, height: 40, stars: 3);
        using var aux = new AuxiliaryData(new Dictionary<string, Exposure> { ["science"] = scene.Science.Sub(scene.Science.Box), ["template"] = scene.Template.Sub(scene.Science.Box) }, null);

        var e = Assert.Throws<AuxiliaryInputException>(() => Runner(Mapper()).Run(scene.Difference, scene.Grid(DiffimScene.LsstConfig("decorrelateAL", 20, 20, 4)), auxiliary: aux));

        Assert.Equal(ErrorCodes.AuxiliaryInput, e.ErrorCode);
        Assert.Contains("psfMatchingKernel", e.Message);
    }

    [Fact]
    public void ScienceWithoutPsf_IsMissingPsf()
    {
        using DiffimScene scene = DiffimScene.Create(width: 40, height: 40, stars: 3);
        using AuxiliaryData aux = scene.Auxiliary("science", "template");
        aux.Exposures["science"].Psf = null;

        var e = Assert.Throws<AuxiliaryInputException>(() => Runner(Mapper()).Run(scene.Difference, scene.Grid(DiffimScene.LsstConfig("decorrelateAL", 20, 20, 4)), auxiliary: aux));

        Assert.Equal((ErrorClass.UnsuitableInput, ErrorCodes.MissingPsf), (e.ErrorClass, e.ErrorCode));
    }

    private static byte[] Bytes(Exposure e)
    {
        using var s = new MemoryStream();
        ExposureFits.Write(e, s);
        return s.ToArray();
    }
}
