using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping;
using ImageReducer.Engine.Psf;

namespace ImageReducer.Engine.Reducing;

/// <summary>
/// The shared frame of <c>copy</c>, <c>sum</c> and <c>average</c>: a new exposure with the input's
/// box, a clone of its mask-plane dictionary, its WCS and metadata; image and variance start at
/// <see cref="StartValue"/>, the mask as the input mask (OR-ed in by the final pass, so the fold
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
/// <para>The count of valid contributions per pixel is kept in a pooled int32 plane for all three
/// operations (it decides the mask rule), which is why <see cref="OverlapStatistics"/> is reported
/// for all three.</para>
/// </remarks>
internal abstract class StitchingReduction : IReduction
{
    private readonly Exposure input;
    private readonly EngineOptions options;
    private readonly IReadOnlyList<string> badMaskPlanes;
    private readonly ReduceOperation operation;
    private Exposure? output;
    private Image<int>? count;
    private readonly List<CoaddPsfComponent> components = [];
    private bool? resultsHavePsf;
    private int next;

    protected StitchingReduction(Exposure input, EngineOptions options, ReducerConfig config, ReduceOperation operation)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(config);
        this.input = input;
        this.options = options;
        this.operation = operation;
        badMaskPlanes = config.BadMaskPlanes;
        Box box = input.Box;
        var image = Image<float>.CreateUninitialized(box);
        var variance = Image<float>.CreateUninitialized(box);
        var maskPixels = Image<int>.CreateUninitialized(box);
        count = Image<int>.Rent(box, clear: false);
        float start = StartValue;
        RowBands.For(options, box.Height, (first, rows) =>
        {
            for (int j = first; j < first + rows; j++)
            {
                image.RowAt(j).Fill(start);
                variance.RowAt(j).Fill(start);
                maskPixels.RowAt(j).Clear(); // contributions only; the input mask is OR-ed in at the end
                count.RowAt(j).Clear();
            }
            return 0;
        });
        output = new Exposure(new MaskedImage(image, new Mask(maskPixels, input.Mask.Planes.Clone()), variance),
            input.Psf, input.Wcs, input.Metadata);
    }

    /// <summary>Initial image and variance value.</summary>
    protected abstract float StartValue { get; }

    /// <summary>True for <c>average</c>: divide by the count at the end.</summary>
    protected abstract bool DividesByCount { get; }

    /// <summary>True for <c>sum</c>/<c>average</c>: the output PSF is the CoaddPsf of the results.</summary>
    protected abstract bool BuildsCoaddPsf { get; }

    /// <summary>Folds one row of a result into the matching output row.</summary>
    protected abstract void FoldRow(Span<float> outImage, Span<float> outVariance, Span<int> outMask, Span<int> count,
        ReadOnlySpan<float> image, ReadOnlySpan<float> variance, ReadOnlySpan<int> mask);

    public void Add(int cellIndex, MapResult result)
    {
        Exposure target = output ?? throw new InvalidOperationException("The reduction is already complete.");
        if (cellIndex != next) throw ReduceErrors.OutOfOrder(cellIndex, next);
        if (result is not ExposureResult { SubExposure: { } sub })
            throw ReduceErrors.ExpectedExposure(cellIndex, operation, result);
        Box box = sub.Box;
        if (!target.Box.Contains(box) || box.IsEmpty) throw ReduceErrors.OutsideExposure(cellIndex, box, target.Box);
        if (BuildsCoaddPsf) CollectPsf(cellIndex, sub);

        int dx = box.MinX - target.Box.MinX;
        int w = box.Width;
        Image<float> outImage = target.Image, outVariance = target.Variance;
        Image<int> outMask = target.Mask.Pixels, counts = count!;
        for (int y = box.MinY; y <= box.MaxY; y++)
        {
            FoldRow(outImage.Row(y).Slice(dx, w), outVariance.Row(y).Slice(dx, w), outMask.Row(y).Slice(dx, w),
                counts.Row(y).Slice(dx, w), sub.Image.Row(y), sub.Variance.Row(y), sub.Mask.Pixels.Row(y));
        }
        next++;
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
        Image<int> counts = count!;
        Image<int> inputMask = input.Mask.Pixels;
        // The reference adds the bad planes after the loop (lowest free bit each).
        foreach (string plane in badMaskPlanes) result.Mask.AddPlane(plane);
        int bad = result.Mask.GetPlaneBitMask(badMaskPlanes);
        bool divide = DividesByCount;
        RowTally[] bands = RowBands.For(options, result.Height, (first, rows) =>
        {
            var tally = RowTally.Empty;
            for (int j = first; j < first + rows; j++)
                StitchRows.Finish(result.Image.RowAt(j), result.Variance.RowAt(j), result.Mask.Pixels.RowAt(j), inputMask.RowAt(j), counts.RowAt(j), bad, divide, ref tally);
            return tally;
        });
        var total = RowTally.Empty;
        foreach (var band in bands) total.Merge(band);
        var overlap = new OverlapStatistics(total.Max, (double)total.CountSum / total.Pixels, total.Min,
            total.ZeroCount, total.ZeroCount * 100.0 / total.Pixels, total.NanFlagged);

        if (BuildsCoaddPsf) result.Psf = components.Count > 0 ? new CoaddPsf(components) : null;
        output = null;
        count = null;
        counts.Dispose();
        return new ReduceResult { Exposure = result, Overlap = overlap, Psf = BuildsCoaddPsf ? result.Psf : null };
    }

    public void Dispose()
    {
        output?.Dispose();
        output = null;
        count?.Dispose();
        count = null;
    }
}
