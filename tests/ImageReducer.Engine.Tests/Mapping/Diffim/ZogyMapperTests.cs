using ImageReducer.Engine.Config;
using ImageReducer.Engine.Errors;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Gridding;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.Mapping.Auxiliary;
using ImageReducer.Engine.Mapping.Mappers;
using ImageReducer.Engine.PointSpread;
using ImageReducer.Engine.Reducing;
using ImageReducer.Engine.Running;
using ImageReducer.TestSupport;
using Xunit.Abstractions;

namespace ImageReducer.Engine.Tests.Mapping.Diffim;

/// <summary><c>zogy</c>: ZOGY per cell (D and S), against the numpy port of LSST's ZogyMapper and analytic cases.</summary>
public class ZogyMapperTests(ITestOutputHelper output)
{
    private static MapReduceRunner Runner(IMapper mapper, int workers = 2) =>
        new(mapper, new ReducerConfig { ReduceOperation = ReduceOperation.Average }, new EngineOptions { MaxDegreeOfParallelism = workers });

    private static ZogyMapper Mapper(bool score = false, bool filter = true) => new(new ZogyMapperOptions { DoScorr = score, DoFilterPsfs = filter });

    private static AuxiliaryData Template(Exposure template) => new(new Dictionary<string, Exposure> { ["template"] = template.Sub(template.Box) }, null);

    /// <summary>The PSF images a zogy cell evaluates: both PSFs at the cell's integer centre (and the expanded centre when not filtering).</summary>
    private static IEnumerable<DiffimReference.CellKernel> Kernels(Grid grid, int i, Psf science, Psf template, bool filter)
    {
        Box c = grid.Cells[i], e = grid.ExpandedCells[i];
        var at = new Point2D(Math.Floor((c.MinX + c.MaxX + 1) / 2.0), Math.Floor((c.MinY + c.MaxY + 1) / 2.0));
        yield return new("sciencePsf", at, science.ComputeKernelImage(at));
        yield return new("templatePsf", at, template.ComputeKernelImage(at));
        if (filter) yield break;
        var expanded = new Point2D((e.MinX + e.MaxX + 1) / 2.0, (e.MinY + e.MaxY + 1) / 2.0);
        if (expanded == at) yield break;
        yield return new("sciencePsf", expanded, science.ComputeKernelImage(expanded));
        yield return new("templatePsf", expanded, template.ComputeKernelImage(expanded));
    }

    [Fact]
    public void SameImageAndPsf_TheDifferenceIsZero()
    {
        // P_r = P_n and R = N: K̂_r·N̂ − K̂_n·R̂ = 0 term by term.
        using DiffimScene scene = DiffimScene.Create(width: 80, height: 72, stars: 12);
        using AuxiliaryData aux = Template(scene.Science);
        using Exposure d = Runner(Mapper()).Run(scene.Science, scene.Grid(DiffimScene.LsstConfig("zogy", 30, 30, 6)), auxiliary: aux).Reduced.Exposure!;

        for (int y = d.Box.MinY; y <= d.Box.MaxY; y++)
            for (int x = d.Box.MinX; x <= d.Box.MaxX; x++) Assert.True(Math.Abs(d.Image[x, y]) < 1e-9, $"D({x}, {y}) = {d.Image[x, y]}");
    }

    [Fact]
    public void Score_PeaksOnTheTransient()
    {
        using DiffimScene scene = DiffimScene.Create(stars: 30, seed: 3);
        using AuxiliaryData aux = Template(scene.Template);
        using Exposure s = Runner(Mapper(score: true)).Run(scene.Science, scene.Grid(DiffimScene.LsstConfig("zogy")), auxiliary: aux).Reduced.Exposure!;

        (int X, int Y) best = (0, 0);
        float peak = float.NegativeInfinity;
        for (int y = s.Box.MinY + 8; y <= s.Box.MaxY - 8; y++)
            for (int x = s.Box.MinX + 8; x <= s.Box.MaxX - 8; x++)
                if (s.Image[x, y] > peak) (peak, best) = (s.Image[x, y], (x, y));
        double tx = s.Box.MinX + s.Width * 0.31, ty = s.Box.MinY + s.Height * 0.62;
        Assert.True(Math.Abs(best.X - tx) <= 2 && Math.Abs(best.Y - ty) <= 2, $"score peaks at {best}, the transient is at ({tx:F1}, {ty:F1})");
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void StarField_MatchesTheNumpyPortPixelByPixel(bool score, bool filter)
    {
        using DiffimScene scene = DiffimScene.Create(seed: 2);
        Grid grid = scene.Grid(DiffimScene.LsstConfig("zogy"));
        using AuxiliaryData aux = Template(scene.Template);
        var mapper = Mapper(score, filter);

        using Exposure engine = Runner(mapper).Run(scene.Science, grid, auxiliary: aux).Reduced.Exposure!;
        var numpy = DiffimReference.Run("zogy", new Dictionary<string, object> { ["doScorr"] = score, ["doFilterPsfs"] = filter },
            scene.Science, new Dictionary<string, Exposure> { ["template"] = scene.Template }, grid,
            i => Kernels(grid, i, scene.Science.Psf!, scene.Template.Psf!, filter));

        output.WriteLine(DiffimAssert.MatchesPort(engine, numpy, Runner(mapper).MapAll(scene.Science, grid, auxiliary: aux), score ? "S" : "D"));
    }

    [Fact]
    public void InstrumentSeed_MatchesTheNumpyPort()
    {
        using Exposure science = ExposureFits.Read(new MemoryStream(MalformedFitsCorpus.Seeds()["lsst"]));
        using Exposure template = science.Clone();
        template.Psf = new GaussianPsf(9, 9, 1.0);
        foreach (ref float v in template.Image.Pixels) v = v * 0.9f + 1f;
        Grid grid = GridBuilder.Build(science, DiffimScene.LsstConfig("zogy", cell: 24, step: 20, border: 6));
        using AuxiliaryData aux = Template(template);

        using Exposure engine = Runner(Mapper()).Run(science, grid, auxiliary: aux).Reduced.Exposure!;
        var numpy = DiffimReference.Run("zogy", new Dictionary<string, object>(), science, new Dictionary<string, Exposure> { ["template"] = template }, grid,
            i => Kernels(grid, i, science.Psf!, template.Psf!, filter: true));

        DiffimAssert.Close(engine.Image, numpy.Image, "D");
        DiffimAssert.Close(engine.Variance, numpy.Variance, "variance");
    }

    [Fact]
    public void Output_IsByteIdenticalWhateverTheThreads()
    {
        using DiffimScene scene = DiffimScene.Create(seed: 5);
        Grid grid = scene.Grid(DiffimScene.LsstConfig("zogy", cell: 25, step: 24, border: 6));
        using AuxiliaryData aux = Template(scene.Template);

        using Exposure one = Runner(Mapper(score: true), workers: 1).Run(scene.Science, grid, auxiliary: aux).Reduced.Exposure!;
        using Exposure four = Runner(Mapper(score: true), workers: 4).Run(scene.Science, grid, auxiliary: aux).Reduced.Exposure!;

        Assert.Equal(one.Image.Pixels.ToArray(), four.Image.Pixels.ToArray());
        Assert.Equal(one.Variance.Pixels.ToArray(), four.Variance.Pixels.ToArray());
    }

    [Fact]
    public void TemplateWithoutPsf_IsMissingPsf()
    {
        using DiffimScene scene = DiffimScene.Create(width: 40, height: 40, stars: 3);
        using AuxiliaryData aux = Template(scene.Template);
        aux.Exposures["template"].Psf = null;

        var e = Assert.Throws<AuxiliaryInputException>(() => Runner(Mapper()).Run(scene.Science, scene.Grid(DiffimScene.LsstConfig("zogy", 20, 20, 4)), auxiliary: aux));

        Assert.Equal((ErrorClass.UnsuitableInput, ErrorCodes.MissingPsf), (e.ErrorClass, e.ErrorCode));
    }
}
