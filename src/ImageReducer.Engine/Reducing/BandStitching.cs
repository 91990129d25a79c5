using System.Collections.Concurrent;
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
/// box (which bounds the count width) and folds each band once; bands may be folded concurrently.
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
    private readonly object tallyGate = new();
    private readonly ConcurrentBag<Scratch> scratch = [];
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
        // Pooled, not fresh: every output pixel is written by the finishing pass, and a process that reduces
        // exposure after exposure (and disposes each output) reuses warm pages instead of faulting new ones in.
        var image = Image<float>.Rent(box, clear: false);
        var variance = Image<float>.Rent(box, clear: false);
        var maskPixels = Image<int>.Rent(box, clear: false);
        var mask = new Mask(maskPixels, input.Mask.Planes.Clone());
        // The reference adds the bad planes after the loop (lowest free bit each); the fold never reads the dictionary.
        foreach (string plane in config.BadMaskPlanes) mask.AddPlane(plane);
        bad = mask.GetPlaneBitMask(config.BadMaskPlanes);
        output = new Exposure(new MaskedImage(image, mask, variance), input.Psf, input.Wcs, input.Metadata);
        this.chunkWidth = Math.Min(chunkWidth, box.Width);
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
        // Scratch planes per worker (bands may be folded by several at once); a bag hands a worker
        // back the set it used last, still in its cache.
        if (!scratch.TryTake(out Scratch? set)) set = new Scratch(bandRows * chunkWidth, countBytes);
        var bandTally = RowTally.Empty;
        try
        {
            switch (countBytes)
            {
                case 1: FoldBand<byte>(target, band, results, set.Counts, set.Image, set.Variance, set.Mask, ref bandTally); break;
                case 2: FoldBand<ushort>(target, band, results, set.Counts, set.Image, set.Variance, set.Mask, ref bandTally); break;
                default: FoldBand<int>(target, band, results, set.Counts, set.Image, set.Variance, set.Mask, ref bandTally); break;
            }
        }
        finally
        {
            scratch.Add(set);
        }
        // Integer sums, maxima and minima: the merge order does not matter.
        lock (tallyGate) tally.Merge(bandTally);
    }

    private void FoldBand<TCount>(Exposure target, Box band, ReadOnlySpan<Exposure> results, byte[] counts, float[] scratchImage,
        float[] scratchVariance, int[] scratchMask, ref RowTally tally) where TCount : unmanaged
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
                int dx = fold.MinX - chunk.MinX, subDx = fold.MinX - sub.Box.MinX;
                int at = (fold.MinY - chunk.MinY) * width + dx;
                Image<float> subImage = sub.Image, subVariance = sub.Variance;
                Image<int> subMask = sub.Mask.Pixels;
                StitchRows.FoldBlock(overwrite, ref chunkImage[at], ref chunkVariance[at], ref chunkMask[at], ref chunkCounts[at], width,
                    ref subImage.Row(fold.MinY)[subDx], subImage.Stride, ref subVariance.Row(fold.MinY)[subDx], subVariance.Stride,
                    ref subMask.Row(fold.MinY)[subDx], subMask.Stride, fold.Width, fold.Height);
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
        RowTally total;
        lock (tallyGate) total = tally;
        var overlap = new OverlapStatistics(total.Max, (double)total.CountSum / total.Pixels, total.Min,
            total.ZeroCount, total.ZeroCount * 100.0 / total.Pixels, total.NanFlagged)
        {
            PixelCount = total.Pixels,
            CountSum = total.CountSum,
        };
        if (rule.BuildsCoaddPsf) result.Psf = components.Count > 0 ? new CoaddPsf(components) : null;
        output = null;
        return new ReduceResult { Exposure = result, Overlap = overlap, Psf = rule.BuildsCoaddPsf ? result.Psf : null };
    }

    public void Dispose()
    {
        output?.Dispose();
        output = null;
    }

    /// <summary>One worker's scratch planes for a chunk of a band (rows × chunk width).</summary>
    private sealed class Scratch(int area, int countBytes)
    {
        public byte[] Counts { get; } = GC.AllocateUninitializedArray<byte>(area * countBytes);
        public float[] Image { get; } = GC.AllocateUninitializedArray<float>(area);
        public float[] Variance { get; } = GC.AllocateUninitializedArray<float>(area);
        public int[] Mask { get; } = GC.AllocateUninitializedArray<int>(area);
    }
}
