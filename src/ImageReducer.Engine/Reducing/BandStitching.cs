using System.Buffers;
using System.Runtime.InteropServices;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Psf;

namespace ImageReducer.Engine.Reducing;

/// <summary>
/// A whole-exposure <c>copy</c>/<c>sum</c>/<c>average</c> built band of rows by band of rows: each
/// band is folded, chunk of columns by chunk of columns, from the results touching it (in cell
/// order) into small scratch planes that stay in the core's cache, then finished at once (input
/// mask, bad planes, division, zero-count pixels, overlap tally) into the output. The output planes
/// are written once, with no initialising pass, and there is no whole-exposure count plane.
/// </summary>
/// <remarks>
/// Bit-identical to <see cref="StitchingReduction"/> over the same results in the same order: every
/// rule there is per pixel and a pixel's contributions still arrive in cell order (each chunk visits
/// the results touching it in increasing cell index), the finishing pass computes the same values
/// per pixel (<see cref="StitchRows.FinishInto"/>) and the overlap statistics are integer sums,
/// maxima and minima, merged exactly. The caller guarantees each result lies inside its expected
/// box (which bounds the count width) and folds each band once, one band at a time.
/// </remarks>
internal sealed class BandStitching : IDisposable
{
    /// <summary>Columns folded and finished at once: with the band's rows, scratch planes of a few hundred KiB that stay in the core's cache.</summary>
    public const int DefaultChunkWidth = 1024;

    private readonly Exposure input;
    private readonly StitchRule rule;
    private readonly int bandRows;
    private readonly int bad;
    private readonly int countBytes;
    private Exposure? output;
    private readonly int chunkWidth;
    private byte[]? counts; // bandRows × chunkWidth counts of countBytes each, reinterpreted per width
    private float[]? scratchImage, scratchVariance; // bandRows × chunkWidth: the chunk being folded
    private int[]? scratchMask;
    private RowTally tally = RowTally.Empty;

    public BandStitching(Exposure input, ReducerConfig config, StitchRule rule, IReadOnlyList<Box> resultBoxes, int bandRows, int chunkWidth)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(resultBoxes);
        ArgumentOutOfRangeException.ThrowIfLessThan(bandRows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkWidth, 1);
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
        this.chunkWidth = Math.Min(chunkWidth, box.Width);
        int area = this.bandRows * this.chunkWidth;
        counts = ArrayPool<byte>.Shared.Rent(area * countBytes);
        scratchImage = ArrayPool<float>.Shared.Rent(area);
        scratchVariance = ArrayPool<float>.Shared.Rent(area);
        scratchMask = ArrayPool<int>.Shared.Rent(area);
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
        Image<int> inputMask = input.Mask.Pixels;
        Image<float> outImage = target.Image, outVariance = target.Variance;
        Image<int> outMask = target.Mask.Pixels;
        bool overwrite = rule.Overwrites, divide = rule.DividesByCount;
        float start = rule.StartValue, empty = divide ? StitchRows.QuietNaN : start;
        // The band is folded chunk of columns by chunk of columns into scratch rows small enough to
        // stay in the core's cache from fold to finish and from chunk to chunk; only finished pixels
        // are written to the output. A pixel's contributions still come in cell order (results are
        // visited in order for each chunk). Scratch image and variance need no start value (a
        // zero-count lane is read as the start value); counts and the contributions' mask start empty.
        for (int x0 = band.MinX; x0 <= band.MaxX; x0 += chunkWidth)
        {
            var chunk = new Box(x0, band.MinY, Math.Min(chunkWidth, band.MaxX + 1 - x0), band.Height);
            int width = chunk.Width, area = chunk.Height * width;
            Span<TCount> chunkCounts = MemoryMarshal.Cast<byte, TCount>(counts.AsSpan())[..area];
            Span<float> chunkImage = scratchImage.AsSpan(0, area), chunkVariance = scratchVariance.AsSpan(0, area);
            Span<int> chunkMask = scratchMask.AsSpan(0, area);
            chunkCounts.Clear();
            chunkMask.Clear();
            foreach (Exposure sub in results)
            {
                Box fold = sub.Box.Clip(chunk);
                if (fold.IsEmpty) continue;
                int dx = fold.MinX - chunk.MinX, subDx = fold.MinX - sub.Box.MinX, w = fold.Width;
                for (int y = fold.MinY; y <= fold.MaxY; y++)
                {
                    int at = (y - chunk.MinY) * width + dx;
                    if (overwrite)
                        StitchRows.Overwrite(chunkImage.Slice(at, w), chunkVariance.Slice(at, w), chunkMask.Slice(at, w), chunkCounts.Slice(at, w),
                            sub.Image.Row(y).Slice(subDx, w), sub.Variance.Row(y).Slice(subDx, w), sub.Mask.Pixels.Row(y).Slice(subDx, w));
                    else
                        StitchRows.Accumulate(chunkImage.Slice(at, w), chunkVariance.Slice(at, w), chunkMask.Slice(at, w), chunkCounts.Slice(at, w),
                            sub.Image.Row(y).Slice(subDx, w), sub.Variance.Row(y).Slice(subDx, w), sub.Mask.Pixels.Row(y).Slice(subDx, w));
                }
            }
            int ox = x0 - target.Box.MinX;
            for (int y = chunk.MinY; y <= chunk.MaxY; y++)
            {
                int at = (y - chunk.MinY) * width;
                StitchRows.FinishInto(chunkImage.Slice(at, width), chunkVariance.Slice(at, width), chunkMask.Slice(at, width),
                    inputMask.Row(y).Slice(ox, width), (ReadOnlySpan<TCount>)chunkCounts.Slice(at, width),
                    outImage.Row(y).Slice(ox, width), outVariance.Row(y).Slice(ox, width), outMask.Row(y).Slice(ox, width),
                    bad, divide, start, empty, ref tally);
            }
        }
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
        ReturnScratch();
        return new ReduceResult { Exposure = result, Overlap = overlap, Psf = rule.BuildsCoaddPsf ? result.Psf : null };
    }

    private void ReturnScratch()
    {
        if (Interlocked.Exchange(ref counts, null) is { } c) ArrayPool<byte>.Shared.Return(c);
        if (Interlocked.Exchange(ref scratchImage, null) is { } i) ArrayPool<float>.Shared.Return(i);
        if (Interlocked.Exchange(ref scratchVariance, null) is { } v) ArrayPool<float>.Shared.Return(v);
        if (Interlocked.Exchange(ref scratchMask, null) is { } m) ArrayPool<int>.Shared.Return(m);
    }

    public void Dispose()
    {
        output?.Dispose();
        output = null;
        ReturnScratch();
    }
}
