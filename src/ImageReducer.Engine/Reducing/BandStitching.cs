using System.Buffers;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Psf;

namespace ImageReducer.Engine.Reducing;

/// <summary>
/// A whole-exposure <c>copy</c>/<c>sum</c>/<c>average</c> built band of rows by band of rows: each
/// band's results are folded, in cell order, into the output's rows of that band while they are
/// hot in the cache, and the band is finished (input mask, bad planes, division, zero-count
/// pixels, overlap tally) right away. The output planes are written once and there is no
/// whole-exposure count plane: one band-sized count buffer is reused.
/// </summary>
/// <remarks>
/// Bit-identical to <see cref="StitchingReduction"/> over the same results in the same order: every
/// rule there is per pixel and a pixel's contributions still arrive in cell order (a band folds
/// every result touching it, in increasing cell index), the finishing row pass is the same
/// (<see cref="StitchRows.Finish"/> over whole output rows) and the overlap statistics are integer
/// sums, maxima and minima merged exactly. The caller guarantees each result lies inside its
/// expected box (which bounds the count width) and feeds bands in any order, one at a time.
/// </remarks>
internal sealed class BandStitching : IDisposable
{
    private readonly Exposure input;
    private readonly StitchRule rule;
    private readonly int bandRows;
    private readonly int bad;
    private readonly int countBytes;
    private Exposure? output;
    private byte[]? counts; // bandRows × width counts of countBytes each, reinterpreted per width
    private RowTally tally = RowTally.Empty;

    public BandStitching(Exposure input, ReducerConfig config, StitchRule rule, IReadOnlyList<Box> resultBoxes, int bandRows)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(resultBoxes);
        ArgumentOutOfRangeException.ThrowIfLessThan(bandRows, 1);
        this.input = input;
        this.rule = rule;
        this.bandRows = Math.Min(bandRows, input.Height);
        int depth = CountLanes.SupportsNarrow ? Coverage.MaxDepth(resultBoxes) : int.MaxValue;
        countBytes = depth <= byte.MaxValue ? 1 : depth <= ushort.MaxValue ? 2 : 4;
        Box box = input.Box;
        var image = Image<float>.CreateUninitialized(box);
        var variance = Image<float>.CreateUninitialized(box);
        var maskPixels = Image<int>.CreateUninitialized(box);
        var mask = new Mask(maskPixels, input.Mask.Planes.Clone());
        // The reference adds the bad planes after the loop (lowest free bit each); the fold never reads the dictionary.
        foreach (string plane in config.BadMaskPlanes) mask.AddPlane(plane);
        bad = mask.GetPlaneBitMask(config.BadMaskPlanes);
        output = new Exposure(new MaskedImage(image, mask, variance), input.Psf, input.Wcs, input.Metadata);
        counts = ArrayPool<byte>.Shared.Rent(this.bandRows * box.Width * countBytes);
    }

    /// <summary>Number of bands (the last one may be shorter).</summary>
    public int BandCount => (input.Height + bandRows - 1) / bandRows;

    /// <summary>Rows per band.</summary>
    public int BandRows => bandRows;

    /// <summary>The rows of band <paramref name="k"/> (parent coordinates, full width).</summary>
    public Box Band(int k)
    {
        Box box = input.Box;
        int y0 = box.MinY + k * bandRows;
        return new Box(box.MinX, y0, box.Width, Math.Min(bandRows, box.MaxY + 1 - y0));
    }

    /// <summary>The band holding row <paramref name="y"/>.</summary>
    public int BandOf(int y) => (y - input.Box.MinY) / bandRows;

    /// <summary>
    /// Folds <paramref name="results"/> (every result touching band <paramref name="k"/>, in cell
    /// order; results that miss the band are skipped) into the band's rows and finishes them.
    /// Each band is folded once.
    /// </summary>
    public void FoldBand(int k, ReadOnlySpan<Exposure> results)
    {
        Exposure target = output ?? throw new InvalidOperationException("The reduction is already complete.");
        Box band = Band(k);
        switch (countBytes)
        {
            case 1: FoldBand<byte>(target, band, results); break;
            case 2: FoldBand<ushort>(target, band, results); break;
            default: FoldBand<int>(target, band, results); break;
        }
    }

    private void FoldBand<TCount>(Exposure target, Box band, ReadOnlySpan<Exposure> results) where TCount : unmanaged
    {
        int width = band.Width;
        Span<TCount> bandCounts = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, TCount>(counts.AsSpan())[..(band.Height * width)];
        bandCounts.Clear();
        Image<float> outImage = target.Image, outVariance = target.Variance;
        Image<int> outMask = target.Mask.Pixels;
        for (int y = band.MinY; y <= band.MaxY; y++) outMask.Row(y).Clear(); // contributions only; the input mask is OR-ed in by Finish
        bool overwrite = rule.Overwrites;
        foreach (Exposure sub in results)
        {
            Box fold = sub.Box.Clip(band);
            if (fold.IsEmpty) continue;
            int dx = fold.MinX - band.MinX, subDx = fold.MinX - sub.Box.MinX, w = fold.Width;
            for (int y = fold.MinY; y <= fold.MaxY; y++)
            {
                Span<TCount> count = bandCounts.Slice((y - band.MinY) * width + dx, w);
                if (overwrite)
                    StitchRows.Overwrite(outImage.Row(y).Slice(dx, w), outVariance.Row(y).Slice(dx, w), outMask.Row(y).Slice(dx, w),
                        count, sub.Image.Row(y).Slice(subDx, w), sub.Variance.Row(y).Slice(subDx, w), sub.Mask.Pixels.Row(y).Slice(subDx, w));
                else
                    StitchRows.Accumulate(outImage.Row(y).Slice(dx, w), outVariance.Row(y).Slice(dx, w), outMask.Row(y).Slice(dx, w),
                        count, sub.Image.Row(y).Slice(subDx, w), sub.Variance.Row(y).Slice(subDx, w), sub.Mask.Pixels.Row(y).Slice(subDx, w));
            }
        }
        Image<int> inputMask = input.Mask.Pixels;
        bool divide = rule.DividesByCount;
        float start = rule.StartValue, empty = divide ? StitchRows.QuietNaN : start;
        for (int y = band.MinY; y <= band.MaxY; y++)
            StitchRows.Finish(outImage.Row(y), outVariance.Row(y), outMask.Row(y), inputMask.Row(y),
                (ReadOnlySpan<TCount>)bandCounts.Slice((y - band.MinY) * width, width), bad, divide, start, empty, ref tally);
    }

    /// <summary>
    /// Finishes the reduction once every band is folded: the output, its overlap statistics and, for
    /// <c>sum</c>/<c>average</c>, the CoaddPsf of <paramref name="components"/> (the results' PSFs in cell order).
    /// </summary>
    public ReduceResult Complete(IReadOnlyList<CoaddPsfComponent> components)
    {
        Exposure result = output ?? throw new InvalidOperationException("The reduction is already complete.");
        var total = tally;
        var overlap = new OverlapStatistics(total.Max, (double)total.CountSum / total.Pixels, total.Min,
            total.ZeroCount, total.ZeroCount * 100.0 / total.Pixels, total.NanFlagged)
        {
            PixelCount = total.Pixels,
            CountSum = total.CountSum,
        };
        if (rule.BuildsCoaddPsf) result.Psf = components.Count > 0 ? new CoaddPsf(components) : null;
        output = null;
        ReturnCounts();
        return new ReduceResult { Exposure = result, Overlap = overlap, Psf = rule.BuildsCoaddPsf ? result.Psf : null };
    }

    private void ReturnCounts()
    {
        if (Interlocked.Exchange(ref counts, null) is { } c) ArrayPool<byte>.Shared.Return(c);
    }

    public void Dispose()
    {
        output?.Dispose();
        output = null;
        ReturnCounts();
    }
}
