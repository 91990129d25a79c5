using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.PointSpread;
using ImageReducer.Engine.Reducing;

namespace ImageReducer.Engine.Tests.Reducing;

/// <summary>
/// The per-pixel count plane is stored as byte, ushort or int32 depending on the expected result
/// boxes; whatever the width, outputs and overlap statistics must be bit-identical to the int32
/// plane (used when no boxes are given).
/// </summary>
public class CountWidthTests
{
    // 21 px wide: vector lanes plus a scalar tail in every row.
    private static readonly Box Full = new(3, 5, 21, 7);
    private static readonly EngineOptions OneWorker = new() { MaxDegreeOfParallelism = 1 };

    private static Exposure Input()
    {
        var e = new Exposure(Full, new GaussianPsf(5, 5, 1.0));
        e.Image.Fill(7f);
        e.Variance.Fill(1f);
        e.Mask.Pixels[4, 6] = 0x10;
        return e;
    }

    /// <summary>A result over <paramref name="box"/> with pixel-varying values, some NaN, and mask bits.</summary>
    private static ExposureResult Patch(Exposure input, Box box, int seed)
    {
        var e = input.Sub(box).Clone();
        var rng = new Random(seed);
        for (int y = box.MinY; y <= box.MaxY; y++)
            for (int x = box.MinX; x <= box.MaxX; x++)
            {
                e.Image[x, y] = rng.Next(8) == 0 ? float.NaN : (float)(rng.NextDouble() * 2 - 1);
                e.Variance[x, y] = rng.Next(10) == 0 ? float.NaN : (float)rng.NextDouble();
                e.Mask.Pixels[x, y] = rng.Next(4) == 0 ? 1 << rng.Next(3) : 0;
            }
        return new ExposureResult(e);
    }

    private static (Exposure Output, OverlapStatistics Overlap, int CountBytes) Reduce(
        ReduceOperation op, Exposure input, IReadOnlyList<Box>? boxes, IReadOnlyList<ExposureResult> results, int rounds)
    {
        var reducer = Reducers.Create(new ReducerConfig { ReduceOperation = op });
        using var reduction = boxes is null ? reducer.Begin(input, OneWorker) : reducer.Begin(input, OneWorker, boxes);
        int cell = 0;
        for (int r = 0; r < rounds; r++)
            foreach (var result in results) reduction.Add(cell++, result);
        int bytes = ((StitchingReduction)reduction).CountBytes;
        var reduced = reduction.Complete();
        return (reduced.Exposure!, reduced.Overlap!, bytes);
    }

    /// <summary>Bit-exact comparison of image, variance (as raw bits, so NaN payloads count) and mask.</summary>
    private static void AssertSamePixels(Exposure expected, Exposure actual)
    {
        for (int y = Full.MinY; y <= Full.MaxY; y++)
            for (int x = Full.MinX; x <= Full.MaxX; x++)
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(expected.Image[x, y]), BitConverter.SingleToInt32Bits(actual.Image[x, y]));
                Assert.Equal(BitConverter.SingleToInt32Bits(expected.Variance[x, y]), BitConverter.SingleToInt32Bits(actual.Variance[x, y]));
                Assert.Equal(expected.Mask.Pixels[x, y], actual.Mask.Pixels[x, y]);
            }
    }

    public static TheoryData<ReduceOperation, int, int> Widths => new()
    {
        // operation, rounds of the same three results (contributions per pixel up to 3 × rounds), expected count bytes
        { ReduceOperation.Copy, 1, 1 }, { ReduceOperation.Sum, 1, 1 }, { ReduceOperation.Average, 1, 1 },
        { ReduceOperation.Copy, 100, 2 }, { ReduceOperation.Sum, 100, 2 }, { ReduceOperation.Average, 100, 2 },
        { ReduceOperation.Copy, 22000, 4 }, { ReduceOperation.Average, 22000, 4 },
    };

    [Theory]
    [MemberData(nameof(Widths))]
    public void Reduce_CountWidthFromBoxes_BitIdenticalToInt32Counts(ReduceOperation op, int rounds, int expectedBytes)
    {
        using var input = Input();
        // Overlapping results (the middle one overlaps both others) leave uncovered pixels too.
        Box[] cells = [new Box(3, 5, 12, 5), new Box(9, 7, 13, 4), new Box(14, 5, 9, 6)];
        ExposureResult[] results = [Patch(input, cells[0], 1), Patch(input, cells[1], 2), Patch(input, cells[2], 3)];
        var boxes = Enumerable.Range(0, rounds).SelectMany(_ => cells).ToArray();

        var (wide, wideOverlap, wideBytes) = Reduce(op, input, null, results, rounds);
        var (narrow, narrowOverlap, narrowBytes) = Reduce(op, input, boxes, results, rounds);
        using (wide)
        using (narrow)
        {
            Assert.Equal(4, wideBytes);
            Assert.Equal(expectedBytes, narrowBytes);
            Assert.Equal(wideOverlap, narrowOverlap);
            AssertSamePixels(wide, narrow);
            if (op != ReduceOperation.Copy) Assert.True(narrowOverlap.MaxCount > 2 * rounds, "the overlap must really reach the width's range");
        }
        foreach (var r in results) r.SubExposure.Dispose();
    }

    [Fact]
    public void Add_ResultOutsideItsExpectedBox_WidensCountsAndStaysExact()
    {
        using var input = Input();
        Box[] cells = [new Box(3, 5, 12, 5), new Box(9, 7, 13, 4)];
        // The second result is larger than the box announced for it.
        ExposureResult[] results = [Patch(input, cells[0], 1), Patch(input, new Box(8, 6, 15, 6), 2)];
        var (wide, wideOverlap, _) = Reduce(ReduceOperation.Average, input, null, results, 1);
        var (narrow, narrowOverlap, narrowBytes) = Reduce(ReduceOperation.Average, input, cells, results, 1);
        using (wide)
        using (narrow)
        {
            Assert.Equal(4, narrowBytes);
            Assert.Equal(wideOverlap, narrowOverlap);
            AssertSamePixels(wide, narrow);
        }
        foreach (var r in results) r.SubExposure.Dispose();
    }

    [Fact]
    public void Begin_DenseGrid_ChoosesUShortThenInt()
    {
        using var input = Input();
        var reducer = Reducers.Create(new ReducerConfig { ReduceOperation = ReduceOperation.Average });
        using (var r = reducer.Begin(input, OneWorker, Enumerable.Repeat(Full, 255).ToArray())) Assert.Equal(1, ((StitchingReduction)r).CountBytes);
        using (var r = reducer.Begin(input, OneWorker, Enumerable.Repeat(Full, 256).ToArray())) Assert.Equal(2, ((StitchingReduction)r).CountBytes);
        using (var r = reducer.Begin(input, OneWorker, Enumerable.Repeat(Full, 65535).ToArray())) Assert.Equal(2, ((StitchingReduction)r).CountBytes);
        using (var r = reducer.Begin(input, OneWorker, Enumerable.Repeat(Full, 65536).ToArray())) Assert.Equal(4, ((StitchingReduction)r).CountBytes);
    }

    /// <summary>A region reduction of <paramref name="results"/> (cell i announced in <paramref name="boxes"/>[i]).</summary>
    private static (Exposure Output, OverlapStatistics Overlap, int CountBytes) ReduceRegion(
        ReduceOperation op, Exposure input, Box region, IReadOnlyList<Box> boxes, IReadOnlyList<ExposureResult> results)
    {
        var reducer = (IRegionReducer)Reducers.Create(new ReducerConfig { ReduceOperation = op });
        using var reduction = reducer.Begin(input, region, OneWorker, boxes);
        for (int cell = 0; cell < results.Count; cell++) reduction.Add(cell, results[cell]);
        int bytes = ((StitchingReduction)reduction).CountBytes;
        var reduced = reduction.Complete();
        return (reduced.Exposure!, reduced.Overlap!, bytes);
    }

    /// <summary>Bit-exact comparison of <paramref name="band"/> against the same pixels of <paramref name="whole"/>.</summary>
    private static void AssertSameBand(Exposure whole, Exposure band)
    {
        Assert.Equal(whole.Box.Clip(band.Box), band.Box);
        for (int y = band.Box.MinY; y <= band.Box.MaxY; y++)
            for (int x = band.Box.MinX; x <= band.Box.MaxX; x++)
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(whole.Image[x, y]), BitConverter.SingleToInt32Bits(band.Image[x, y]));
                Assert.Equal(BitConverter.SingleToInt32Bits(whole.Variance[x, y]), BitConverter.SingleToInt32Bits(band.Variance[x, y]));
                Assert.Equal(whole.Mask.Pixels[x, y], band.Mask.Pixels[x, y]);
            }
    }

    [Theory]
    [InlineData("copy")]
    [InlineData("sum")]
    [InlineData("average")]
    public void BeginRegion_DeepOverlapOutsideRegion_CountWidthFromClippedBoxes(string opName)
    {
        ReduceOperation op = ReduceOperation.Parse(opName);
        using var input = Input();
        // One result over the top band; 300 over the bottom rows only (deeper than a byte holds).
        Box top = new(3, 5, 12, 5), bottom = new(9, 9, 13, 3);
        ExposureResult first = Patch(input, top, 1), deep = Patch(input, bottom, 2);
        ExposureResult[] results = [first, .. Enumerable.Repeat(deep, 300)];
        Box[] boxes = [top, .. Enumerable.Repeat(bottom, 300)];
        Box upper = Box.FromMinMax(Full.MinX, Full.MinY, Full.MaxX, 7), lower = Box.FromMinMax(Full.MinX, 8, Full.MaxX, Full.MaxY);

        var (whole, wholeOverlap, wholeBytes) = Reduce(op, input, boxes, results, 1);
        var (up, upOverlap, upBytes) = ReduceRegion(op, input, upper, boxes, results);
        var (low, lowOverlap, lowBytes) = ReduceRegion(op, input, lower, boxes, results);
        using (whole)
        using (up)
        using (low)
        {
            Assert.Equal(2, wholeBytes);
            Assert.Equal(1, upBytes); // the 300-deep boxes clip away from the upper band
            Assert.Equal(2, lowBytes);
            AssertSameBand(whole, up);
            AssertSameBand(whole, low);
            // Integer sums merge exactly, so the statistics must be equal, not close.
            Assert.Equal(wholeOverlap, OverlapStatistics.Merge([upOverlap, lowOverlap]));
        }
        first.SubExposure.Dispose();
        deep.SubExposure.Dispose();
    }

    [Fact]
    public void AddRegion_ResultOutsideItsBoxOnlyOutsideRegion_KeepsNarrowCounts_InsideRegion_Widens()
    {
        using var input = Input();
        Box upper = Box.FromMinMax(Full.MinX, Full.MinY, Full.MaxX, 7);
        // Cell 1 is announced in rows 9..11 but its result reaches row 8 (still outside the upper band);
        // cell 0 is announced in rows 5..6 but its result reaches row 9 (inside the band from row 7).
        Box[] announcedOutside = [new Box(3, 5, 12, 5), new Box(9, 9, 13, 3)];
        ExposureResult[] outside = [Patch(input, announcedOutside[0], 1), Patch(input, new Box(9, 8, 13, 4), 2)];
        Box[] announcedInside = [new Box(3, 5, 12, 2), new Box(9, 9, 13, 3)];
        ExposureResult[] inside = [Patch(input, new Box(3, 5, 12, 5), 3), Patch(input, announcedInside[1], 4)];

        var (wholeA, _, _) = Reduce(ReduceOperation.Average, input, null, outside, 1);
        var (bandA, _, bytesA) = ReduceRegion(ReduceOperation.Average, input, upper, announcedOutside, outside);
        var (wholeB, _, _) = Reduce(ReduceOperation.Average, input, null, inside, 1);
        var (bandB, _, bytesB) = ReduceRegion(ReduceOperation.Average, input, upper, announcedInside, inside);
        using (wholeA)
        using (bandA)
        using (wholeB)
        using (bandB)
        {
            Assert.Equal(1, bytesA);
            Assert.Equal(4, bytesB);
            AssertSameBand(wholeA, bandA);
            AssertSameBand(wholeB, bandB);
        }
        foreach (var r in outside.Concat(inside)) r.SubExposure.Dispose();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void MaxDepth_RandomBoxes_MatchesBruteForce(int seed)
    {
        var rng = new Random(seed);
        var boxes = new List<Box>();
        for (int i = 0; i < 60; i++) boxes.Add(new Box(rng.Next(-5, 40), rng.Next(0, 30), rng.Next(0, 15), rng.Next(0, 12)));
        var depth = new int[80, 60];
        int expected = 0;
        foreach (var b in boxes)
            for (int y = b.MinY; y <= b.MaxY; y++)
                for (int x = b.MinX; x <= b.MaxX; x++)
                    expected = Math.Max(expected, ++depth[x + 10, y]);
        Assert.Equal(expected, Coverage.MaxDepth(boxes));
    }

    [Fact]
    public void MaxDepth_GridWithOnePixelOverlap_IsFourAtTheCorners()
    {
        // cells of 41 px every 40 px: neighbours share one column/row, four share a corner pixel.
        var boxes = new List<Box>();
        for (int x = 0; x < 5; x++)
            for (int y = 0; y < 5; y++) boxes.Add(new Box(x * 40, y * 40, 41, 41));
        Assert.Equal(4, Coverage.MaxDepth(boxes));
        Assert.Equal(0, Coverage.MaxDepth([]));
        Assert.Equal(1, Coverage.MaxDepth([new Box(0, 0, 3, 3), Box.Empty]));
    }
}
