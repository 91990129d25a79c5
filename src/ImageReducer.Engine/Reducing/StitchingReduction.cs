using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Engine.Reducing;

/// <summary>
/// The shared frame of <c>copy</c>, <c>sum</c> and <c>average</c>: a new exposure with the input's
/// box, a clone of its mask-plane dictionary, its WCS and metadata; image and variance act as if they started at
/// the rule's <see cref="StitchRule.StartValue"/> (they are written lazily: fold, then the final pass for uncovered pixels), the mask as the input mask (OR-ed in by the final pass, so the fold
/// never reads it); results are folded in cell order.
/// </summary>
/// <remarks>
/// <para><b>Mask rule (spec §8, differs from the reference).</b> The reference ORs every result's
/// mask into the output over the result's whole box, whether or not the pixel's value was used.
/// Here a pixel's mask is the input mask OR the masks of the contributions whose values were used:
/// for <c>sum</c>/<c>average</c> every valid contribution; for <c>copy</c> only the one that was
/// written last (later cells win, so an earlier, overwritten contribution leaves no bits).
/// A pixel with no valid contribution gets the input mask OR every contribution's mask (valid or
/// not; none when no cell covers it) plus the bad planes. Pixels covered by exactly one valid
/// contribution, or where all contributions are valid for <c>sum</c>/<c>average</c>, get the
/// reference's mask.</para>
/// <para><b>Values</b> follow the reference: a zero-count pixel is NaN for <c>copy</c> and
/// <c>average</c> and 0 for <c>sum</c> (but, unlike the reference, <c>sum</c> flags it with the bad
/// planes too); pixels whose image × variance is NaN after accumulation get the bad planes.</para>
/// <para>The count of valid contributions per pixel is kept in a pooled plane for all three
/// operations (it decides the mask rule), which is why <see cref="OverlapStatistics"/> is reported
/// for all three. The plane is as narrow as the expected result boxes allow (byte up to 255
/// overlapping boxes, ushort up to 65535, else int32; see <see cref="Coverage"/>): at 12 bytes of
/// pixels per pixel, an int32 plane is a third of the exposure again, a byte plane a twelfth. A
/// result outside its expected box widens the plane to int32 (once), so any input stays exact.</para>
/// <para><b>Regions.</b> A reduction may build only a region of the output (a tile's band of a
/// distributed run): it folds the rows of each result inside the region and finishes only those
/// pixels. Every rule above is per pixel, so the region equals the same pixels of a whole-exposure
/// reduction given the same results in the same order (every result touching the region). Its
/// count plane covers the region only, sized by the expected boxes clipped to the region (what
/// overlaps elsewhere does not widen it); a fold outside its clipped box widens it as above.</para>
/// </remarks>
internal sealed class StitchingReduction : IReduction
{
    private readonly Exposure input;
    private readonly EngineOptions options;
    private readonly IReadOnlyList<string> badMaskPlanes;
    private readonly StitchRule rule;
    private readonly ReduceOperation operation;
    private readonly Box region;
    private Exposure? output;
    private IDisposable? count; // Image<byte>, Image<ushort> or Image<int>
    private readonly IReadOnlyList<Box>? resultBoxes;
    private readonly List<CoaddPsfComponent> components = [];
    private bool? resultsHavePsf;
    private int next;

    // Builds region (the input's box for a whole reduction, else a part of it) of the output.
    // resultBoxes: null, or for each added result (in order) a box it is expected in; sizes the count plane.
    public StitchingReduction(Exposure input, Box region, EngineOptions options, ReducerConfig config, StitchRule rule,
        IReadOnlyList<Box>? resultBoxes)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(config);
        this.input = input;
        this.options = options;
        this.rule = rule;
        operation = config.ReduceOperation;
        badMaskPlanes = config.BadMaskPlanes;
        if (region.IsEmpty || !input.Box.Contains(region))
            throw new ArgumentOutOfRangeException(nameof(region), $"The output region {region} must be a non-empty part of the input's {input.Box}.");
        this.region = region;
        Box box = region;
        var image = Image<float>.CreateUninitialized(box);
        var variance = Image<float>.CreateUninitialized(box);
        var maskPixels = Image<int>.CreateUninitialized(box);
        this.resultBoxes = resultBoxes;
        // Only the overlap inside the region lands in this plane, so the boxes are clipped to it.
        int depth = resultBoxes is null || !CountLanes.SupportsNarrow ? int.MaxValue
            : Coverage.MaxDepth([.. resultBoxes.Select(b => b.Clip(region))]);
        count = depth <= byte.MaxValue ? Image<byte>.Rent(box, clear: false)
            : depth <= ushort.MaxValue ? Image<ushort>.Rent(box, clear: false)
            : Image<int>.Rent(box, clear: false);
        IDisposable counts = count;
        // Image and variance are not initialised: the folds treat a zero-count pixel as holding the
        // start value and the final pass writes the pixels no contribution reached (one write pass fewer).
        RowBands.For(options, box.Height, (first, rows) =>
        {
            for (int j = first; j < first + rows; j++)
            {
                maskPixels.RowAt(j).Clear(); // contributions only; the input mask is OR-ed in at the end
                ClearRow(counts, j);
            }
            return 0;
        });
        output = new Exposure(new MaskedImage(image, new Mask(maskPixels, input.Mask.Planes.Clone()), variance),
            input.Psf, input.Wcs, input.Metadata);
    }

    /// <summary>The element width of the count plane (1, 2 or 4 bytes); for tests and diagnostics.</summary>
    internal int CountBytes => count switch
    {
        Image<byte> => 1,
        Image<ushort> => 2,
        _ => 4,
    };

    private static void ClearRow(IDisposable counts, int j)
    {
        switch (counts)
        {
            case Image<byte> b: b.RowAt(j).Clear(); break;
            case Image<ushort> u: u.RowAt(j).Clear(); break;
            case Image<int> i: i.RowAt(j).Clear(); break;
        }
    }

    public void Add(int cellIndex, MapResult result)
    {
        Exposure target = output ?? throw new InvalidOperationException("The reduction is already complete.");
        if (cellIndex != next) throw ReduceErrors.OutOfOrder(cellIndex, next);
        if (result is not ExposureResult { SubExposure: { } sub })
            throw ReduceErrors.ExpectedExposure(cellIndex, operation, result);
        Box box = sub.Box;
        if (!input.Box.Contains(box) || box.IsEmpty) throw ReduceErrors.OutsideExposure(cellIndex, box, input.Box);
        if (rule.BuildsCoaddPsf) CollectPsf(cellIndex, sub);

        Box fold = box.Clip(region); // the whole result box unless this reduction builds a region
        if (!fold.IsEmpty)
        {
            // The plane's bound holds while every fold stays inside its expected box (clipped to the region).
            if (count is not Image<int> && (resultBoxes is null || cellIndex >= resultBoxes.Count || !resultBoxes[cellIndex].Contains(fold)))
                WidenCounts();
            switch (count)
            {
                case Image<byte> b: Fold(target, sub, fold, b); break;
                case Image<ushort> u: Fold(target, sub, fold, u); break;
                default: Fold(target, sub, fold, (Image<int>)count!); break;
            }
        }
        next++;
    }

    private void Fold<TCount>(Exposure target, Exposure sub, Box fold, Image<TCount> counts) where TCount : unmanaged
    {
        int dx = fold.MinX - region.MinX, subDx = fold.MinX - sub.Box.MinX;
        int w = fold.Width;
        Image<float> outImage = target.Image, outVariance = target.Variance;
        Image<int> outMask = target.Mask.Pixels;
        bool overwrite = rule.Overwrites;
        for (int y = fold.MinY; y <= fold.MaxY; y++)
        {
            if (overwrite)
                StitchRows.Overwrite(outImage.Row(y).Slice(dx, w), outVariance.Row(y).Slice(dx, w), outMask.Row(y).Slice(dx, w),
                    counts.Row(y).Slice(dx, w), sub.Image.Row(y).Slice(subDx, w), sub.Variance.Row(y).Slice(subDx, w),
                    sub.Mask.Pixels.Row(y).Slice(subDx, w));
            else
                StitchRows.Accumulate(outImage.Row(y).Slice(dx, w), outVariance.Row(y).Slice(dx, w), outMask.Row(y).Slice(dx, w),
                    counts.Row(y).Slice(dx, w), sub.Image.Row(y).Slice(subDx, w), sub.Variance.Row(y).Slice(subDx, w),
                    sub.Mask.Pixels.Row(y).Slice(subDx, w));
        }
    }

    /// <summary>
    /// A result fell outside its expected box, so the coverage bound no longer holds: the counts
    /// move to an int32 plane (one pass, values kept) and stay there.
    /// </summary>
    private void WidenCounts()
    {
        Box box = region;
        var wide = Image<int>.Rent(box, clear: false);
        for (int j = 0; j < box.Height; j++)
        {
            Span<int> to = wide.RowAt(j);
            switch (count)
            {
                case Image<byte> b: { var from = b.RowAt(j); for (int i = 0; i < to.Length; i++) to[i] = from[i]; break; }
                case Image<ushort> u: { var from = u.RowAt(j); for (int i = 0; i < to.Length; i++) to[i] = from[i]; break; }
            }
        }
        count!.Dispose();
        count = wide;
    }

    private void CollectPsf(int cellIndex, Exposure sub)
    {
        bool has = sub.Psf is not null;
        if (resultsHavePsf is { } before && before != has) throw ReduceErrors.MissingPsf(cellIndex, has);
        resultsHavePsf = has;
        if (!Exposure.SameWcs(sub.Wcs, input.Wcs)) throw ReduceErrors.DifferentWcs(cellIndex);
        if (has) components.Add(new CoaddPsfComponent(sub.Psf!, sub.Box, 1.0));
    }

    public ReduceResult Complete()
    {
        Exposure result = output ?? throw new InvalidOperationException("The reduction is already complete.");
        IDisposable counts = count!;
        Image<int> inputMask = input.Mask.Pixels.Sub(region);
        // The reference adds the bad planes after the loop (lowest free bit each).
        foreach (string plane in badMaskPlanes) result.Mask.AddPlane(plane);
        int bad = result.Mask.GetPlaneBitMask(badMaskPlanes);
        bool divide = rule.DividesByCount;
        float start = rule.StartValue, empty = divide ? StitchRows.QuietNaN : start;
        RowTally[] bands = RowBands.For(options, result.Height, (first, rows) =>
        {
            var tally = RowTally.Empty;
            for (int j = first; j < first + rows; j++)
            {
                Span<float> image = result.Image.RowAt(j), variance = result.Variance.RowAt(j);
                Span<int> mask = result.Mask.Pixels.RowAt(j);
                switch (counts)
                {
                    case Image<byte> b: StitchRows.Finish(image, variance, mask, inputMask.RowAt(j), (ReadOnlySpan<byte>)b.RowAt(j), bad, divide, start, empty, ref tally); break;
                    case Image<ushort> u: StitchRows.Finish(image, variance, mask, inputMask.RowAt(j), (ReadOnlySpan<ushort>)u.RowAt(j), bad, divide, start, empty, ref tally); break;
                    default: StitchRows.Finish(image, variance, mask, inputMask.RowAt(j), (ReadOnlySpan<int>)((Image<int>)counts).RowAt(j), bad, divide, start, empty, ref tally); break;
                }
            }
            return tally;
        });
        var total = RowTally.Empty;
        foreach (var band in bands) total.Merge(band);
        var overlap = new OverlapStatistics(total.Max, (double)total.CountSum / total.Pixels, total.Min,
            total.ZeroCount, total.ZeroCount * 100.0 / total.Pixels, total.NanFlagged)
        {
            PixelCount = total.Pixels,
            CountSum = total.CountSum,
        };

        if (rule.BuildsCoaddPsf) result.Psf = components.Count > 0 ? new CoaddPsf(components) : null;
        output = null;
        count = null;
        counts.Dispose();
        return new ReduceResult { Exposure = result, Overlap = overlap, Psf = rule.BuildsCoaddPsf ? result.Psf : null };
    }

    public void Dispose()
    {
        output?.Dispose();
        output = null;
        count?.Dispose();
        count = null;
    }
}
