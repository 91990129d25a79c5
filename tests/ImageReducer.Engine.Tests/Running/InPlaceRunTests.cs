using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.Reducing;
using ImageReducer.Engine.Running;
using ImageReducer.Engine.Errors;

namespace ImageReducer.Engine.Tests.Running;

/// <summary>
/// <see cref="MapReduceRunner.RunInPlace"/>: the output built in the input's own planes must be byte for byte
/// <see cref="MapReduceRunner.Run"/>'s over an untouched copy of the same input — including for mappers whose
/// results are views of the input (every pixel an in-place fold overwrote too early would show), rows that are
/// not a whole number of vectors wide, narrow cells, any band height and worker count — and a run that must
/// restart reads the input again and gives the same bytes or the same error.
/// </summary>
public class InPlaceRunTests
{
    private static MapReduceRunner Runner(IMapper mapper, ReduceOperation op, int workers, int bandRows = BandPipeline.DefaultBandRows)
        => new(mapper, CellOrderReference.Op(op), new EngineOptions { MaxDegreeOfParallelism = workers }) { BandRows = bandRows };

    private static IMapper BuiltIn(string name) => TestMappers.BuiltIn(name, addAmount: 1.5);

    private static Func<Exposure> NeverReadAgain => () => throw new Xunit.Sdk.XunitException("the input was read again, but the run did not restart");

    [Theory]
    // identity's results are views of the input (image, mask and variance); add's mask and variance are.
    [InlineData("identity", "sum", 160, 1, 32, 21, 13, 4)]
    [InlineData("identity", "sum", 157, 2, 32, 21, 13, 4)]    // rows not a whole number of vectors: the gather must not take them in place
    [InlineData("identity", "average", 250, 1, 32, 41, 40, 8)]
    [InlineData("identity", "copy", 251, 3, 7, 11, 10, 2)]
    [InlineData("add", "average", 256, 1, 32, 41, 40, 8)]
    [InlineData("add", "average", 250, 2, 32, 41, 40, 8)]
    [InlineData("add", "sum", 253, 2, 5, 5, 4, 2)]            // cells narrower than a vector
    [InlineData("add", "copy", 200, 1, 16, 41, 20, 8)]        // up to nine results a pixel
    [InlineData("identity", "average", 130, 2, 3, 3, 2, 1)]
    [InlineData("add", "sum", 96, 1, 1000, 96, 96, 5)]        // one cell, one band
    [InlineData("add", "average", 304, 1, 32, 38, 37, 6)]     // shared columns in every lane: one-lane contributions at both ends of a vector
    [InlineData("identity", "copy", 304, 2, 7, 38, 37, 6)]
    public void RunInPlace_SameBytesAsRunOnAnUntouchedCopy(string mapperName, string opName, int width, int workers, int bandRows, int cell, int step, int border)
    {
        ReduceOperation op = ReduceOperation.Parse(opName);
        IMapper mapper = BuiltIn(mapperName);
        using var untouched = TestExposures.Noise(width, width + 3, seed: 31, x0: 3, y0: -5);
        var grid = TestGrids.Regular(untouched.Box, cell, step, border);
        var expected = Runner(mapper, op, workers, bandRows).Run(untouched, grid).Reduced;
        using var e = expected.Exposure!;

        using var consumed = TestExposures.Noise(width, width + 3, seed: 31, x0: 3, y0: -5);
        var actual = Runner(mapper, op, workers, bandRows).RunInPlace(consumed, grid, returnSubImages: false, NeverReadAgain).Reduced;
        using var a = actual.Exposure!;

        CellOrderReference.AssertSame(expected, actual);
        Assert.Same(consumed.Image, a.Image);       // built in the input's planes: no new memory
        Assert.Same(consumed.Variance, a.Variance);
        Assert.Same(consumed.Mask.Pixels, a.Mask.Pixels);
    }

    [Theory]
    // add's results view the input's mask and variance in place: vectors whose variance or image is special must still
    // have their variance and mask rewritten (−0 variance becomes +0, an invalid pixel is flagged), the others need not.
    [InlineData("average", 1, 41, 40, 8)]
    [InlineData("sum", 2, 41, 40, 8)]
    [InlineData("copy", 1, 41, 20, 8)]
    [InlineData("average", 2, 38, 37, 6)]
    public void RunInPlace_ResultsSharingTheInputsMaskAndVariance_SpecialValues_SameBytesAsRun(string opName, int workers, int cell, int step, int border)
    {
        ReduceOperation op = ReduceOperation.Parse(opName);
        IMapper mapper = BuiltIn("add");
        using var untouched = WithSpecialValues(TestExposures.Noise(256, 259, seed: 17, x0: 3, y0: -5), seed: 5);
        var grid = TestGrids.Regular(untouched.Box, cell, step, border);
        var expected = Runner(mapper, op, workers).Run(untouched, grid).Reduced;
        using var e = expected.Exposure!;

        using var consumed = WithSpecialValues(TestExposures.Noise(256, 259, seed: 17, x0: 3, y0: -5), seed: 5);
        var actual = Runner(mapper, op, workers).RunInPlace(consumed, grid, returnSubImages: false, NeverReadAgain).Reduced;
        using var a = actual.Exposure!;

        CellOrderReference.AssertSame(expected, actual);
        Assert.Same(consumed.Variance, a.Variance);
        // The special values reached the output: sum and average make −0 variances +0 (copy keeps them).
        float[] variances = a.Variance.ToArray();
        Assert.Contains(variances, v => v == 0 && !float.IsNegative(v));
        Assert.Equal(op == ReduceOperation.Copy, variances.Any(v => v == 0 && float.IsNegative(v)));
    }

    /// <summary>
    /// Sprinkles NaN and infinite images, −0, +0, NaN and infinite variances over <paramref name="e"/>, one pixel in
    /// sixteen, so that most vectors of eight hold at least one and some hold none.
    /// </summary>
    private static Exposure WithSpecialValues(Exposure e, int seed)
    {
        var rng = new Random(seed);
        for (int j = 0; j < e.Box.Height; j++)
        {
            Span<float> img = e.Image.RowAt(j), var = e.Variance.RowAt(j);
            for (int i = 0; i < e.Box.Width; i++)
            {
                if (rng.Next(16) != 0) continue;
                switch (rng.Next(6))
                {
                    case 0: img[i] = float.NaN; break;
                    case 1: img[i] = float.PositiveInfinity; break;
                    case 2: var[i] = -0f; break;
                    case 3: var[i] = 0f; break;
                    case 4: var[i] = float.NaN; break;
                    default: var[i] = float.PositiveInfinity; break;
                }
            }
        }
        return e;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void RunInPlace_ResultOutsideItsExpandedCell_ReadsTheInputAgainAndGivesRunsBytes(int workers)
    {
        // Cell 20's result is wider than its expanded cell: the fused run stops after folding bands in place,
        // so the classic fold must start from the input read again, not from the half-overwritten planes.
        using var untouched = TestExposures.Noise(90, 70, seed: 32);
        var grid = TestGrids.Regular(untouched.Box, cell: 15, step: 10, border: 2);
        using var pristine = TestExposures.Noise(90, 70, seed: 32);
        var mapper = new OutsideMapper(pristine, outsideCell: 20);
        var expected = Runner(mapper, ReduceOperation.Average, workers, bandRows: 4).Run(untouched, grid).Reduced;
        using var e = expected.Exposure!;

        using var consumed = TestExposures.Noise(90, 70, seed: 32);
        int readAgain = 0;
        var actual = Runner(mapper, ReduceOperation.Average, workers, bandRows: 4).RunInPlace(consumed, grid, returnSubImages: false, () =>
        {
            readAgain++;
            return TestExposures.Noise(90, 70, seed: 32);
        }).Reduced;
        using var a = actual.Exposure!;

        CellOrderReference.AssertSame(expected, actual);
        Assert.Equal(1, readAgain);
        Assert.NotSame(consumed.Image, a.Image);
    }

    [Fact]
    public void RunInPlace_FailingMapper_ReportsTheLowestFailingCellLikeRun()
    {
        using var untouched = TestExposures.Noise(120, 100, seed: 33);
        var grid = TestGrids.Regular(untouched.Box, cell: 12, step: 10, border: 2);
        var mapper = new FailingMapper(failFrom: 57);
        var expected = Assert.Throws<InvalidDataException>(() => Runner(mapper, ReduceOperation.Sum, workers: 2, bandRows: 4).Run(untouched, grid));

        using var consumed = TestExposures.Noise(120, 100, seed: 33);
        int readAgain = 0;
        var actual = Assert.Throws<InvalidDataException>(() => Runner(mapper, ReduceOperation.Sum, workers: 2, bandRows: 4).RunInPlace(consumed, grid, returnSubImages: false, () =>
        {
            readAgain++;
            return TestExposures.Noise(120, 100, seed: 33);
        }));
        Assert.Equal(expected.Message, actual.Message);
        Assert.Equal("cell 57", actual.Message);
        Assert.Equal(1, readAgain);
    }

    [Fact]
    public void RunInPlace_InputReadAgainCoversAnotherBox_IsAnInputChangedConflict()
    {
        using var consumed = TestExposures.Noise(90, 70, seed: 34);
        var grid = TestGrids.Regular(consumed.Box, cell: 15, step: 10, border: 2);
        using var pristine = TestExposures.Noise(90, 70, seed: 34);
        var runner = Runner(new OutsideMapper(pristine, outsideCell: 3), ReduceOperation.Average, workers: 1, bandRows: 4);
        var error = Assert.Throws<ReduceException>(() => runner.RunInPlace(consumed, grid, returnSubImages: false, () => TestExposures.Noise(80, 70, seed: 34)));
        Assert.Equal(ErrorCodes.InputChanged, error.ErrorCode);
        Assert.Equal(ErrorClass.Conflict, error.ErrorClass);
        Assert.Contains("changed during the run", error.Message);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("coaddPsf")]
    public void RunInPlace_ReductionsThatBuildNoExposure_LeaveTheInputUntouched(string opName)
    {
        using var input = TestExposures.Noise(64, 48, seed: 35);
        byte[] before = TestExposures.PlaneBytes(input);
        var grid = TestGrids.Regular(input.Box, cell: 16, step: 16, border: 2);
        var result = Runner(BuiltIn("add"), ReduceOperation.Parse(opName), workers: 2).RunInPlace(input, grid, returnSubImages: false, NeverReadAgain);
        if (result.Reduced.Results is { } results)
            foreach (var r in results) if (r is ExposureResult x) x.SubExposure.Dispose();
        Assert.Equal(before, TestExposures.PlaneBytes(input));
    }

    [Fact]
    public void RunInPlace_ReturnSubImages_KeepsEveryResultAndLeavesTheInputUntouched()
    {
        using var untouched = TestExposures.Noise(64, 48, seed: 37);
        var grid = TestGrids.Regular(untouched.Box, cell: 16, step: 12, border: 2);
        var expected = Runner(BuiltIn("add"), ReduceOperation.Average, workers: 2).Run(untouched, grid, returnSubImages: true);
        using var e = expected.Reduced.Exposure!;

        using var input = TestExposures.Noise(64, 48, seed: 37);
        byte[] before = TestExposures.PlaneBytes(input);
        var actual = Runner(BuiltIn("add"), ReduceOperation.Average, workers: 2).RunInPlace(input, grid, returnSubImages: true, NeverReadAgain);
        using var a = actual.Reduced.Exposure!;

        CellOrderReference.AssertSame(expected.Reduced, actual.Reduced);
        Assert.Equal(before, TestExposures.PlaneBytes(input));
        Assert.NotSame(input.Image, a.Image);
        Assert.Equal(grid.Count, actual.Cells!.Count);
    }

    [Fact]
    public void RunInPlace_NullReadAgain_IsRefused()
    {
        using var input = TestExposures.Noise(32, 32, seed: 36);
        var grid = TestGrids.Regular(input.Box, cell: 16, step: 16, border: 2);
        Assert.Throws<ArgumentNullException>(() => Runner(BuiltIn("add"), ReduceOperation.Average, workers: 1).RunInPlace(input, grid, returnSubImages: false, null!));
    }

    /// <summary>Fails on every cell from <c>failFrom</c> on, the lowest after a pause (so later cells fail first under parallel mapping).</summary>
    private sealed class FailingMapper(int failFrom) : IMapper
    {
        public MapResult Map(Exposure cell, Exposure expandedCell, MapContext context)
        {
            if (context.CellIndex >= failFrom)
            {
                if (context.CellIndex == failFrom) Thread.Sleep(30);
                throw new InvalidDataException($"cell {context.CellIndex}");
            }
            return new ExposureResult(cell.Clone());
        }
    }
}
