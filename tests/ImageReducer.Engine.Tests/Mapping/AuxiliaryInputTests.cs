using System.Collections.Concurrent;
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
using ImageReducer.Engine.Tests.Running;

namespace ImageReducer.Engine.Tests.Mapping;

/// <summary>Auxiliary inputs: the runner checks them against the mapper's declarations and cuts each to every expanded cell.</summary>
public class AuxiliaryInputTests
{
    private static MapReduceRunner Runner(IMapper mapper, ReduceOperation op, int workers) =>
        new(mapper, new ReducerConfig { ReduceOperation = op }, new EngineOptions { MaxDegreeOfParallelism = workers });

    private static AuxiliaryData Template(Exposure template) =>
        new(new Dictionary<string, Exposure> { ["template"] = template }, null);

    [Theory]
    [InlineData(1, "average")]
    [InlineData(3, "average")]
    [InlineData(2, "copy")]
    public void Subtract_WithTemplate_IsThePixelwiseDifferenceAnyThreads(int workers, string opName)
    {
        ReduceOperation op = ReduceOperation.Parse(opName);
        using var science = TestExposures.Noise(61, 47, seed: 5, x0: 3, y0: -2);
        var grid = TestGrids.Regular(science.Box, cell: 12, step: 12, border: 3); // cells tile the image: one contribution per pixel
        using AuxiliaryData aux = Template(TestExposures.Noise(61, 47, seed: 6, x0: 3, y0: -2));
        Exposure template = aux.Exposures["template"];

        using Exposure diff = Runner(new SubtractMapper(), op, workers).Run(science, grid, auxiliary: aux).Reduced.Exposure!;

        for (int y = science.Box.MinY; y <= science.Box.MaxY; y++)
            for (int x = science.Box.MinX; x <= science.Box.MaxX; x++)
            {
                Assert.Equal(science.Image[x, y] - template.Image[x, y], diff.Image[x, y]);
                Assert.Equal(science.Variance[x, y] + template.Variance[x, y], diff.Variance[x, y]);
            }
    }

    [Fact]
    public void Run_AuxiliaryViews_AreTheExpandedCellOfEachCell()
    {
        using var main = TestExposures.Noise(40, 30, seed: 1, x0: 10, y0: 20);
        var grid = TestGrids.Regular(main.Box, cell: 9, step: 7, border: 2);
        using AuxiliaryData aux = Template(TestExposures.Noise(40, 30, seed: 2, x0: 10, y0: 20));
        var mapper = new RecordingMapper();

        Runner(mapper, ReduceOperation.Average, 3).Run(main, grid, auxiliary: aux).Reduced.Exposure!.Dispose();

        Assert.Equal(grid.Count, mapper.Seen.Count);
        foreach (var (cell, (box, firstPixel)) in mapper.Seen)
        {
            Assert.Equal(grid.ExpandedCells[cell], box);
            Assert.Equal(aux.Exposures["template"].Image[box.MinX, box.MinY], firstPixel);
        }
    }

    [Fact]
    public void RunPart_AuxiliaryPieces_GiveTheWholeRunsRows()
    {
        using var science = TestExposures.Noise(50, 40, seed: 8);
        using AuxiliaryData aux = Template(TestExposures.Noise(50, 40, seed: 9));
        var grid = TestGrids.Regular(science.Box, cell: 10, step: 8, border: 3);
        var runner = Runner(new SubtractMapper(), ReduceOperation.Average, 2);
        using Exposure whole = runner.Run(science, grid, auxiliary: aux).Reduced.Exposure!;

        // The lower band: its cells are those whose expanded cell meets rows 0..19; the piece holds their expanded cells.
        Box region = Box.FromMinMax(0, 0, 49, 19);
        var (cells, pieceBox) = TestGrids.PartFor(grid, region);
        using Exposure piece = science.Sub(pieceBox).Clone();
        using AuxiliaryData auxPiece = Template(aux.Exposures["template"].Sub(pieceBox).Clone());
        using Exposure part = runner.RunPart(piece, grid, new GridPart(cells, science.Box, region), auxiliary: auxPiece).Reduced.Exposure!;

        for (int y = region.MinY; y <= region.MaxY; y++)
            for (int x = region.MinX; x <= region.MaxX; x++)
                Assert.Equal(whole.Image[x, y], part.Image[x, y]);
    }

    [Fact]
    public void Run_RequiredInputMissing_IsTheCallersErrorNamingIt()
    {
        using var main = TestExposures.Noise(20, 20, seed: 1);
        var grid = TestGrids.Regular(main.Box, cell: 10, step: 10, border: 2);

        var e = Assert.Throws<AuxiliaryInputException>(() => Runner(new SubtractMapper(), ReduceOperation.Average, 1).Run(main, grid));

        Assert.Equal(ErrorClass.Caller, e.ErrorClass);
        Assert.Equal(ErrorCodes.AuxiliaryInput, e.ErrorCode);
        Assert.Contains("'template'", e.Message);
        Assert.Contains("subtract", e.Message);
    }

    [Fact]
    public void Run_UndeclaredName_IsTheCallersErrorListingTheDeclaredOnes()
    {
        using var main = TestExposures.Noise(20, 20, seed: 1);
        var grid = TestGrids.Regular(main.Box, cell: 10, step: 10, border: 2);
        using var aux = new AuxiliaryData(new Dictionary<string, Exposure>
        {
            ["template"] = TestExposures.Noise(20, 20, seed: 2),
            ["tempalte"] = TestExposures.Noise(20, 20, seed: 3),
        }, null);

        var e = Assert.Throws<AuxiliaryInputException>(() => Runner(new SubtractMapper(), ReduceOperation.Average, 1).Run(main, grid, auxiliary: aux));

        Assert.Equal(ErrorClass.Caller, e.ErrorClass);
        Assert.Contains("no auxiliary input 'tempalte'", e.Message);
        Assert.Contains("template (exposure)", e.Message);
    }

    [Theory]
    [InlineData(20, 20, 1, 0)] // another origin
    [InlineData(21, 20, 0, 0)] // another size
    public void Run_TemplateOnAnotherGrid_IsUnsuitableInputSayingBothBoxes(int width, int height, int x0, int y0)
    {
        using var main = TestExposures.Noise(20, 20, seed: 1);
        var grid = TestGrids.Regular(main.Box, cell: 10, step: 10, border: 2);
        using AuxiliaryData aux = Template(TestExposures.Noise(width, height, seed: 2, x0: x0, y0: y0));

        var e = Assert.Throws<AuxiliaryInputException>(() => Runner(new SubtractMapper(), ReduceOperation.Average, 1).Run(main, grid, auxiliary: aux));

        Assert.Equal(ErrorClass.UnsuitableInput, e.ErrorClass);
        Assert.Equal(ErrorCodes.AuxiliaryMismatch, e.ErrorCode);
        Assert.Contains($"{width}×{height} px at ({x0}, {y0})", e.Message);
        Assert.Contains("20×20 px at (0, 0)", e.Message);
    }

    [Fact]
    public void Run_InputWhosePsfIsNeededHasNone_IsMissingPsf()
    {
        using var main = TestExposures.Noise(20, 20, seed: 1);
        var grid = TestGrids.Regular(main.Box, cell: 10, step: 10, border: 2);
        Exposure withoutPsf = TestExposures.Noise(20, 20, seed: 2);
        withoutPsf.Psf = null;
        using AuxiliaryData aux = Template(withoutPsf);

        var e = Assert.Throws<AuxiliaryInputException>(() => Runner(new RecordingMapper(needsPsf: true), ReduceOperation.Average, 1).Run(main, grid, auxiliary: aux));

        Assert.Equal(ErrorClass.UnsuitableInput, e.ErrorClass);
        Assert.Equal(ErrorCodes.MissingPsf, e.ErrorCode);
        Assert.Contains("no PSF", e.Message);
    }

    [Fact]
    public void Run_KernelGivenWhereAnExposureIsDeclared_IsTheCallersError()
    {
        using var main = TestExposures.Noise(20, 20, seed: 1);
        var grid = TestGrids.Regular(main.Box, cell: 10, step: 10, border: 2);
        using var aux = new AuxiliaryData(null, new Dictionary<string, AuxiliaryKernel> { ["template"] = AuxiliaryKernel.FromPsf(new GaussianPsf(5, 5, 1)) });

        var e = Assert.Throws<AuxiliaryInputException>(() => Runner(new SubtractMapper(), ReduceOperation.Average, 1).Run(main, grid, auxiliary: aux));

        Assert.Contains("must be an exposure", e.Message);
    }

    [Fact]
    public void MaskTranslation_MovesBitsByPlaneName()
    {
        var source = MaskPlaneDictionary.FromBits([new("BAD", 0), new("SAT", 1), new("ONLY_HERE", 2)]);
        var target = MaskPlaneDictionary.FromBits([new("SAT", 0), new("BAD", 3)]);
        Span<int> into = [0, 1 << 5];

        new MaskTranslation(source, target).OrInto([0b011, 0b100], into);

        Assert.Equal((1 << 3) | 1, into[0]);
        Assert.Equal(1 << 5, into[1]); // ONLY_HERE has no plane in the target: dropped
    }

    [Fact]
    public void FixedKernel_KeepsItsSum()
    {
        using var image = new Image<double>(3, 3);
        image.Fill(0.5);

        using var k = AuxiliaryKernel.Fixed(image).ComputeImage(new Point2D(100, 100));

        Assert.Equal(4.5, k.Pixels.ToArray().Sum(), 12);
        Assert.Equal(new Box(-1, -1, 3, 3), k.Box);
    }

    /// <summary>Records the box and first pixel of the template view each cell gets; returns the cell unchanged.</summary>
    private sealed class RecordingMapper(bool needsPsf = false) : IMapper
    {
        public ConcurrentDictionary<int, (Box Box, float First)> Seen { get; } = new();

        public IReadOnlyList<AuxiliaryInput> AuxiliaryInputs { get; } = [new("template", AuxiliaryKind.Exposure, "test", NeedsPsf: needsPsf)];

        public MapResult Map(Exposure cell, Exposure expandedCell, MapContext context)
        {
            Exposure t = context.Auxiliary.Exposure("template");
            Seen[context.CellIndex] = (t.Box, t.Image[t.Box.MinX, t.Box.MinY]);
            return new ExposureResult(cell);
        }
    }
}
