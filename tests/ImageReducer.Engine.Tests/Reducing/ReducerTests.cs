using ImageReducer.Engine.Config;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.PointSpread;
using ImageReducer.Engine.Reducing;

namespace ImageReducer.Engine.Tests.Reducing;

public class ReducerTests
{
    private static readonly Box Full = new(10, 20, 8, 6);
    private static readonly EngineOptions OneWorker = new() { MaxDegreeOfParallelism = 1 };

    private static IReducer For(ReduceOperation op) => Reducers.Create(new ReducerConfig { ReduceOperation = op });

    private static Exposure Input(Psf? psf = null)
    {
        var e = new Exposure(Full, psf ?? new GaussianPsf(5, 5, 1.0))
        {
            Wcs = [new HeaderCard("CTYPE1", "RA---TAN")],
            Metadata = [new HeaderCard("OBJECT", "m31")],
        };
        e.Image.Fill(100f);
        e.Variance.Fill(1f);
        return e;
    }

    /// <summary>A result over <paramref name="box"/> with constant image, variance and mask.</summary>
    private static ExposureResult Patch(Exposure input, Box box, float value, float variance = 1f, int mask = 0, Psf? psf = null)
    {
        var e = input.Sub(box).Clone();
        e.Image.Fill(value);
        e.Variance.Fill(variance);
        e.Mask.Pixels.Fill(mask);
        if (psf is not null) e.Psf = psf;
        return new ExposureResult(e);
    }

    [Theory]
    [InlineData("none", typeof(ListReducer))]
    [InlineData("copy", typeof(StitchingReducer))]
    [InlineData("sum", typeof(StitchingReducer))]
    [InlineData("average", typeof(StitchingReducer))]
    [InlineData("coaddPsf", typeof(CoaddPsfReducer))]
    public void Create_EachOperation_GivesItsReducer(string opName, Type expected)
    {
        ReduceOperation op = ReduceOperation.Parse(opName);
        var reducer = For(op);
        Assert.IsType(expected, reducer);
        Assert.Equal(op, reducer.Operation);
    }

    [Fact]
    public void Average_WithOverlappingCells_DividesByContributionCount()
    {
        using var input = Input();
        var results = new MapResult[] { Patch(input, new Box(10, 20, 5, 6), 1f, 2f), Patch(input, new Box(13, 20, 5, 6), 4f, 8f) };
        var r = For(ReduceOperation.Average).Reduce(results, input, OneWorker);
        using var output = r.Exposure!;
        Assert.Equal(1f, output.Image[10, 20]);
        Assert.Equal(2.5f, output.Image[13, 22]);  // (1 + 4) / 2, exact
        Assert.Equal(5f, output.Variance[14, 25]); // (2 + 8) / 2: the variance is divided by the count, as the reference
        Assert.Equal(4f, output.Image[17, 25]);
        Assert.Equal(new OverlapStatistics(2, (30 + 30) / 48.0, 1, 0, 0.0, 0) { PixelCount = 48, CountSum = 60 }, r.Overlap);
    }

    [Fact]
    public void Average_DividesInFloat64_AsTheReference()
    {
        using var input = Input();
        var box = new Box(10, 20, 1, 1);
        float a = 0.1f, b = 0.2f, c = 0.3f;
        var results = new MapResult[] { Patch(input, box, a), Patch(input, box, b), Patch(input, box, c) };
        using var output = For(ReduceOperation.Average).Reduce(results, input, OneWorker).Exposure!;
        Assert.Equal((float)((double)(a + b + c) / 3), output.Image[10, 20]);
    }

    [Fact]
    public void Sum_AddsValidValuesInCellOrder_InFloat32()
    {
        using var input = Input();
        var box = new Box(12, 21, 2, 2);
        var results = new MapResult[] { Patch(input, box, 1e8f), Patch(input, box, 1f), Patch(input, box, -1e8f) };
        using var output = For(ReduceOperation.Sum).Reduce(results, input, OneWorker).Exposure!;
        Assert.Equal(((0f + 1e8f) + 1f) + -1e8f, output.Image[12, 21]); // 0 in float32; 1 if the order or precision changed
        Assert.Equal(3f, output.Variance[12, 21]);
    }

    [Fact]
    public void Copy_LaterCellsWin()
    {
        using var input = Input();
        var results = new MapResult[] { Patch(input, new Box(10, 20, 5, 6), 1f), Patch(input, new Box(13, 20, 5, 6), 2f) };
        using var output = For(ReduceOperation.Copy).Reduce(results, input, OneWorker).Exposure!;
        Assert.Equal(1f, output.Image[12, 20]);
        Assert.Equal(2f, output.Image[13, 20]);
        Assert.Equal(2f, output.Image[14, 25]);
    }

    [Fact]
    public void Copy_InvalidLaterValue_KeepsEarlierValue()
    {
        using var input = Input();
        var box = new Box(10, 20, 2, 2);
        var results = new MapResult[] { Patch(input, box, 1f), Patch(input, box, 2f, variance: float.NaN), Patch(input, box, float.PositiveInfinity, variance: 0f) };
        using var output = For(ReduceOperation.Copy).Reduce(results, input, OneWorker).Exposure!;
        Assert.Equal(1f, output.Image[10, 20]); // NaN variance and inf × 0 are both invalid
    }

    [Fact]
    public void Copy_StartsNaN_AndFlagsUncoveredPixels()
    {
        using var input = Input();
        var r = For(ReduceOperation.Copy).Reduce([Patch(input, new Box(10, 20, 2, 2), 1f)], input, OneWorker);
        using var output = r.Exposure!;
        int bad = output.Mask.GetPlaneBitMask(ReducerConfig.DefaultBadMaskPlanes);
        Assert.True(float.IsNaN(output.Image[15, 24]) && float.IsNaN(output.Variance[15, 24]));
        Assert.Equal(bad, output.Mask.Pixels[15, 24]);
        Assert.Equal(0, output.Mask.Pixels[11, 21]);
        Assert.Equal(44, r.Overlap!.ZeroCountPixels);
    }

    [Fact]
    public void Sum_ZeroCountPixel_IsZeroButFlagged()
    {
        using var input = Input();
        using var output = For(ReduceOperation.Sum).Reduce([Patch(input, new Box(10, 20, 2, 2), 1f)], input, OneWorker).Exposure!;
        int bad = output.Mask.GetPlaneBitMask(ReducerConfig.DefaultBadMaskPlanes);
        Assert.Equal(0f, output.Image[15, 24]); // the reference's value
        Assert.Equal(bad, output.Mask.Pixels[15, 24]); // spec §8: no valid contribution → bad planes
    }

    [Fact]
    public void Stitch_OutputMaskStartsAsInputMask()
    {
        using var input = Input();
        input.Mask.Pixels[11, 21] = 1 << 3;
        using var output = For(ReduceOperation.Average).Reduce([Patch(input, new Box(10, 20, 3, 3), 1f)], input, OneWorker).Exposure!;
        Assert.Equal(1 << 3, output.Mask.Pixels[11, 21]);
        Assert.Equal(1 << 3, input.Mask.Pixels[11, 21]);
    }

    [Fact]
    public void Sum_Mask_IsOrOfValidContributionsOnly()
    {
        using var input = Input();
        var box = new Box(10, 20, 2, 2);
        var results = new MapResult[]
        {
            Patch(input, box, 1f, mask: 1 << 1),
            Patch(input, box, 2f, variance: float.NaN, mask: 1 << 2), // invalid: its bits are not used (the reference would OR them)
            Patch(input, box, 3f, mask: 1 << 3),
        };
        using var output = For(ReduceOperation.Sum).Reduce(results, input, OneWorker).Exposure!;
        Assert.Equal((1 << 1) | (1 << 3), output.Mask.Pixels[10, 20]);
        Assert.Equal(4f, output.Image[10, 20]);
    }

    [Fact]
    public void Copy_Mask_IsInputOrLastValidContribution()
    {
        using var input = Input();
        input.Mask.Pixels[10, 20] = 1 << 9;
        var box = new Box(10, 20, 2, 2);
        var results = new MapResult[]
        {
            Patch(input, box, 1f, mask: 1 << 1),
            Patch(input, box, 3f, mask: 1 << 3),
            Patch(input, box, 2f, variance: float.NaN, mask: 1 << 2),
        };
        using var output = For(ReduceOperation.Copy).Reduce(results, input, OneWorker).Exposure!;
        Assert.Equal(3f, output.Image[10, 20]);
        Assert.Equal((1 << 9) | (1 << 3), output.Mask.Pixels[10, 20]);
        Assert.Equal(1 << 3, output.Mask.Pixels[11, 21]);
    }

    [Theory]
    [InlineData("copy")]
    [InlineData("sum")]
    [InlineData("average")]
    public void Stitch_NoValidContribution_GetsOrOfAllContributionsPlusBadPlanes(string opName)
    {
        ReduceOperation op = ReduceOperation.Parse(opName);
        using var input = Input();
        input.Mask.Pixels[10, 20] = 1 << 9;
        var box = new Box(10, 20, 1, 1);
        var results = new MapResult[]
        {
            Patch(input, box, float.NaN, mask: 1 << 1),
            Patch(input, box, 1f, variance: float.NaN, mask: 1 << 3),
        };
        var r = For(op).Reduce(results, input, OneWorker);
        using var output = r.Exposure!;
        int bad = output.Mask.GetPlaneBitMask(ReducerConfig.DefaultBadMaskPlanes);
        Assert.Equal((1 << 9) | (1 << 1) | (1 << 3) | bad, output.Mask.Pixels[10, 20]);
        Assert.Equal(48, r.Overlap!.ZeroCountPixels);
        Assert.Equal(100.0, r.Overlap.ZeroCountPercent);
        Assert.Equal(0, r.Overlap.MaxCount);
    }

    [Fact]
    public void Stitch_BadPlanesAddedToAClonedDictionary()
    {
        using var input = Input();
        var config = new ReducerConfig { ReduceOperation = ReduceOperation.Average, BadMaskPlanes = ["MY_BAD", "BAD"] };
        using var output = Reducers.Create(config).Reduce([Patch(input, new Box(10, 20, 1, 1), 1f)], input, OneWorker).Exposure!;
        Assert.Equal(11, output.Mask.Planes.GetBit("MY_BAD")); // lowest free bit after the 11 defaults
        Assert.False(input.Mask.Planes.TryGetBit("MY_BAD", out _));
        Assert.Equal((1 << 11) | 1, output.Mask.Pixels[17, 25]);
        Assert.False(output.Mask.Planes.TryGetBit("INVALID_MAPREDUCE", out _));
    }

    [Fact]
    public void Stitch_OutputKeepsInputBoxWcsMetadata()
    {
        using var input = Input();
        using var output = For(ReduceOperation.Average).Reduce([Patch(input, Full, 1f)], input, OneWorker).Exposure!;
        Assert.Equal(Full, output.Box);
        Assert.Same(input.Wcs, output.Wcs);
        Assert.Same(input.Metadata, output.Metadata);
        Assert.NotSame(input.Image, output.Image);
    }

    [Fact]
    public void Copy_KeepsInputPsf()
    {
        using var input = Input();
        using var output = For(ReduceOperation.Copy).Reduce([Patch(input, Full, 1f, psf: new GaussianPsf(5, 5, 3.0))], input, OneWorker).Exposure!;
        Assert.Same(input.Psf, output.Psf);
    }

    [Theory]
    [InlineData("sum")]
    [InlineData("average")]
    public void SumAndAverage_OutputPsfIsCoaddPsfOfResults(string opName)
    {
        ReduceOperation op = ReduceOperation.Parse(opName);
        using var input = Input();
        var p1 = new GaussianPsf(5, 5, 1.0);
        var p2 = new GaussianPsf(5, 5, 2.0);
        var b1 = new Box(10, 20, 4, 6);
        var b2 = new Box(14, 20, 4, 6);
        var r = For(op).Reduce([Patch(input, b1, 1f, psf: p1), Patch(input, b2, 1f, psf: p2)], input, OneWorker);
        using var output = r.Exposure!;
        var coadd = Assert.IsType<CoaddPsf>(output.Psf);
        Assert.Same(coadd, r.Psf);
        Assert.Equal([new CoaddPsfComponent(p1, b1, 1.0), new CoaddPsfComponent(p2, b2, 1.0)], coadd.Components);
    }

    [Fact]
    public void Average_ResultWithDifferentWcs_Throws()
    {
        using var input = Input();
        var other = Patch(input, new Box(10, 20, 2, 2), 1f);
        other.SubExposure.Wcs = [new HeaderCard("CTYPE1", "GLON-TAN")];
        var e = Assert.Throws<ReduceException>(() => For(ReduceOperation.Average).Reduce([Patch(input, Full, 1f), other], input, OneWorker));
        Assert.Equal(1, e.CellIndex);
        Assert.Contains("WCS", e.Message);
    }

    [Fact]
    public void Average_ResultOutsideExposure_Throws()
    {
        using var input = Input();
        var outside = new ExposureResult(TestExposuresForReduce.Constant(new Box(0, 0, 12, 22), 1f));
        var e = Assert.Throws<ReduceException>(() => For(ReduceOperation.Average).Reduce([outside], input, OneWorker));
        Assert.Contains("not inside", e.Message);
    }

    [Theory]
    [InlineData("copy")]
    [InlineData("sum")]
    [InlineData("average")]
    public void Stitch_ValueResult_ThrowsTypeErrorSuggestingNone(string opName)
    {
        ReduceOperation op = ReduceOperation.Parse(opName);
        using var input = Input();
        var e = Assert.Throws<ReduceException>(() => For(op).Reduce([Patch(input, Full, 1f), new ValueResult(3.5)], input, OneWorker));
        Assert.Equal(1, e.CellIndex);
        Assert.Contains("Double", e.Message);
        Assert.Contains("`reduceOperation: none`", e.Message);
    }

    [Fact]
    public void None_ReturnsResultsAsTheyAre()
    {
        using var input = Input();
        var results = new MapResult[] { new ValueResult(1.0), new ValueResult("x"), Patch(input, Full, 1f) };
        var r = For(ReduceOperation.None).Reduce(results, input, OneWorker);
        Assert.Equal(results, r.Results);
        Assert.Null(r.Exposure);
    }

    [Fact]
    public void CoaddPsf_FromPsfAndExposureResults_OneComponentEachWithWeightOne()
    {
        using var input = Input();
        var p1 = new GaussianPsf(7, 7, 1.5);
        var p2 = new GaussianPsf(7, 7, 2.5);
        var b1 = new Box(10, 20, 4, 6);
        var b2 = new Box(14, 20, 4, 6);
        var r = For(ReduceOperation.CoaddPsf).Reduce([new PsfResult(p1, b1), Patch(input, b2, 0f, psf: p2)], input, OneWorker);
        var coadd = Assert.IsType<CoaddPsf>(r.Psf);
        Assert.Null(r.Exposure);
        Assert.Equal([new CoaddPsfComponent(p1, b1, 1.0), new CoaddPsfComponent(p2, b2, 1.0)], coadd.Components);
        // Inside b1 only p1 contributes: the kernels are equal to 1e-12 (both unit-sum float64 images).
        var k = coadd.ComputeKernelImage(new Point2D(11, 22)).ToArray();
        var k1 = p1.ComputeKernelImage(new Point2D(11, 22)).ToArray();
        Assert.Equal(k1.Length, k.Length);
        for (int i = 0; i < k.Length; i++) Assert.Equal(k1[i] / k1.Sum(), k[i], 1e-12);
    }

    [Fact]
    public void CoaddPsf_DifferentWcs_Throws()
    {
        using var input = Input();
        var other = Patch(input, Full, 1f);
        other.SubExposure.Wcs = [];
        var e = Assert.Throws<ReduceException>(() => For(ReduceOperation.CoaddPsf).Reduce([other], input, OneWorker));
        Assert.Equal(0, e.CellIndex);
    }

    [Fact]
    public void CoaddPsf_ValueResult_ThrowsNamingTheCell()
    {
        using var input = Input();
        var e = Assert.Throws<ReduceException>(() => For(ReduceOperation.CoaddPsf).Reduce([new PsfResult(input.Psf!, Full), new ValueResult(1)], input, OneWorker));
        Assert.Equal(1, e.CellIndex);
    }

    [Fact]
    public void Reduction_OutOfOrderAdd_Throws()
    {
        using var input = Input();
        using var reduction = For(ReduceOperation.Average).Begin(input, OneWorker);
        Assert.Throws<ReduceException>(() => reduction.Add(1, Patch(input, Full, 1f)));
    }

    [Fact]
    public void Average_ResultsAreNotModifiedOrKept()
    {
        using var input = Input();
        var patch = Patch(input, Full, 3f);
        using (var output = For(ReduceOperation.Average).Reduce([patch], input, OneWorker).Exposure!)
            output.Image.Fill(-1f);
        Assert.Equal(3f, patch.SubExposure.Image[12, 22]);
        Assert.Equal(100f, input.Image[12, 22]);
    }
}
