using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using ImageReducer.Engine.Config;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Engine.Reducing;

/// <summary>
/// A whole-exposure <c>copy</c>/<c>sum</c>/<c>average</c> built band of rows by band of rows: each
/// band is folded, chunk of columns by chunk of columns, from the results touching it (in cell
/// order) and finished at once (input mask, bad planes, division, zero-count pixels, overlap tally)
/// into the output — gathered vector by vector in registers (<see cref="GatherFold"/>), or, where
/// the gather cannot take a chunk, through small scratch planes that stay in the core's cache. The
/// output planes are written once, with no initialising pass, and there is no whole-exposure count plane.
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
    /// <summary>Columns gathered at once (see <see cref="GatherFold"/>): long rows keep the memory streams sequential.</summary>
    public const int DefaultChunkWidth = 4096;

    /// <summary>Columns folded and finished at once through scratch planes: with the band's rows, a few hundred KiB that stay in the core's cache.</summary>
    private const int ScratchWidth = 1024;

    private readonly Exposure input;
    private readonly StitchRule rule;
    private readonly int bandRows;
    private readonly int bad;
    private readonly IReadOnlyList<Box> resultBoxes;
    private int countBytes; // 0 until the scratch fold first needs it (the gather needs no count plane)
    private Exposure? output;
    private readonly int chunkWidth;
    private readonly bool gatherEnabled;
    private readonly object tallyGate = new();
    private readonly ConcurrentBag<Scratch> scratch = [];
    private RowTally tally = RowTally.Empty;
    private int gatheredChunks, scratchChunks;

    /// <remarks>With <c>inPlace</c>, the output is built in the input's own planes (see <see cref="InPlace"/>).</remarks>
    public BandStitching(Exposure input, ReducerConfig config, StitchRule rule, IReadOnlyList<Box> resultBoxes, int bandRows, int chunkWidth, bool gather = true,
        bool inPlace = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(resultBoxes);
        ArgumentOutOfRangeException.ThrowIfLessThan(bandRows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkWidth, 1);
        this.input = input;
        this.rule = rule;
        this.bandRows = Math.Min(bandRows, input.Height);
        this.resultBoxes = resultBoxes;
        Box box = input.Box;
        InPlace = inPlace;
        // Aligned for whole-line streaming stores, and kept after use: every output pixel is written by the
        // finishing pass, and a process that reduces exposure after exposure (and disposes each output)
        // reuses warm pages instead of faulting new ones in. In place, the input's planes are the output's.
        var image = inPlace ? input.Image : Image<float>.RentAligned(box);
        var variance = inPlace ? input.Variance : Image<float>.RentAligned(box);
        var maskPixels = inPlace ? input.Mask.Pixels : Image<int>.RentAligned(box);
        var mask = new Mask(maskPixels, input.Mask.Planes.Clone());
        // The reference adds the bad planes after the loop (lowest free bit each); the fold never reads the dictionary.
        foreach (string plane in config.BadMaskPlanes) mask.AddPlane(plane);
        bad = mask.GetPlaneBitMask(config.BadMaskPlanes);
        output = new Exposure(new MaskedImage(image, mask, variance), input.Psf, input.Wcs, input.Metadata);
        this.chunkWidth = Math.Min(chunkWidth, box.Width);
        gatherEnabled = gather;
    }

    /// <summary>
    /// True when the output is built in the input's own planes: no new memory for the output (in a fresh
    /// process, 12 bytes a pixel of pages the kernel would clear first). Safe because a band's pixels are
    /// read only while that band is folded — every cell whose expanded cell touches it is mapped before, no
    /// cell mapped after reaches it, other bands read other rows — and each output pixel is computed once,
    /// its inputs loaded before it is stored (the gather takes only chunks whose vectors do not overlap; the
    /// scratch fold reads every result before it finishes a row, and re-reads only the mask, an idempotent OR).
    /// </summary>
    public bool InPlace { get; }

    /// <summary>Chunks folded by the register gather so far (tests assert the vector path ran where it can).</summary>
    internal int GatheredChunks => Volatile.Read(ref gatheredChunks);

    /// <summary>Chunks folded through the scratch planes so far (no AVX2, gather disabled, or a chunk narrower than a vector).</summary>
    internal int ScratchChunks => Volatile.Read(ref scratchChunks);

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
    public void FoldBand(int k, ReadOnlySpan<Exposure> results) => FoldBand(k, input.Box.MinX, input.Width, results);

    /// <summary>
    /// Folds <paramref name="results"/> (every result touching columns [<paramref name="x0"/>, +<paramref name="width"/>) of band
    /// <paramref name="k"/>, in cell order; results that miss them are skipped) into those columns of the band and finishes them.
    /// Each band's columns are folded once.
    /// </summary>
    public void FoldBand(int k, int x0, int width, ReadOnlySpan<Exposure> results)
    {
        Exposure target = output ?? throw new InvalidOperationException("The reduction is already complete.");
        Box rows = Band(k);
        var band = new Box(x0, rows.MinY, width, rows.Height);
        // Per-worker state (bands may be folded by several at once); a bag hands a worker back the
        // set it used last, still in its cache.
        if (!scratch.TryTake(out Scratch? set)) set = new Scratch(gatherEnabled);
        var bandTally = RowTally.Empty;
        try
        {
            for (int cx = band.MinX; cx <= band.MaxX; cx += chunkWidth)
            {
                var chunk = new Box(cx, band.MinY, Math.Min(chunkWidth, band.MaxX + 1 - cx), band.Height);
                if (set.Gather is { } gather && gather.TryFold(input, target, chunk, results, rule, bad, ref bandTally, InPlace))
                {
                    Interlocked.Increment(ref gatheredChunks);
                    continue;
                }
                Interlocked.Increment(ref scratchChunks);
                for (int s0 = chunk.MinX; s0 <= chunk.MaxX; s0 += ScratchWidth)
                {
                    var piece = new Box(s0, chunk.MinY, Math.Min(ScratchWidth, chunk.MaxX + 1 - s0), chunk.Height);
                    set.EnsurePlanes(bandRows * Math.Min(ScratchWidth, chunkWidth), CountBytes());
                    switch (countBytes)
                    {
                        case 1: FoldChunk<byte>(target, piece, results, set, ref bandTally); break;
                        case 2: FoldChunk<ushort>(target, piece, results, set, ref bandTally); break;
                        default: FoldChunk<int>(target, piece, results, set, ref bandTally); break;
                    }
                }
            }
        }
        finally
        {
            scratch.Add(set);
        }
        // Integer sums, maxima and minima: the merge order does not matter.
        lock (tallyGate) tally.Merge(bandTally);
    }

    /// <summary>Bytes per scratch count: as narrow as the deepest coverage of the results' boxes allows (computed once, when first needed).</summary>
    private int CountBytes()
    {
        if (Volatile.Read(ref countBytes) == 0)
        {
            int depth = CountLanes.SupportsNarrow ? Coverage.MaxDepth(resultBoxes) : int.MaxValue;
            Volatile.Write(ref countBytes, depth <= byte.MaxValue ? 1 : depth <= ushort.MaxValue ? 2 : 4);
        }
        return countBytes;
    }

    /// <summary>Folds <paramref name="chunk"/> of a band through the scratch planes of <paramref name="set"/>, then finishes it into the output.</summary>
    private void FoldChunk<TCount>(Exposure target, Box chunk, ReadOnlySpan<Exposure> results, Scratch set, ref RowTally tally) where TCount : unmanaged
    {
        Image<int> inputMask = input.Mask.Pixels;
        Image<float> outImage = target.Image, outVariance = target.Variance;
        Image<int> outMask = target.Mask.Pixels;
        bool overwrite = rule.Overwrites, divide = rule.DividesByCount;
        float start = rule.StartValue, empty = divide ? StitchRows.QuietNaN : start;
        // The chunk is folded into scratch rows small enough to stay in the core's cache from fold to
        // finish; only finished pixels are written to the output. A pixel's contributions still come
        // in cell order (results are visited in order). Scratch image and variance need no start value
        // (a zero-count lane is read as the start value); counts and the contributions' mask start empty.
        int width = chunk.Width, area = chunk.Height * width;
        Span<TCount> chunkCounts = MemoryMarshal.Cast<byte, TCount>(set.Counts.AsSpan())[..area];
        Span<float> chunkImage = set.Image.AsSpan(0, area), chunkVariance = set.Variance.AsSpan(0, area);
        Span<int> chunkMask = set.Mask.AsSpan(0, area);
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
        int ox = chunk.MinX - target.Box.MinX;
        for (int y = chunk.MinY; y <= chunk.MaxY; y++)
        {
            int at = (y - chunk.MinY) * width;
            StitchRows.FinishInto(chunkImage.Slice(at, width), chunkVariance.Slice(at, width), chunkMask.Slice(at, width),
                inputMask.Row(y).Slice(ox, width), (ReadOnlySpan<TCount>)chunkCounts.Slice(at, width),
                outImage.Row(y).Slice(ox, width), outVariance.Row(y).Slice(ox, width), outMask.Row(y).Slice(ox, width),
                bad, divide, start, empty, ref tally);
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
        // In place, the planes are the input's until the reduction completes: its owner releases them.
        if (!InPlace) output?.Dispose();
        output = null;
    }

    /// <summary>One worker's fold state: the gather, and scratch planes for a chunk of a band (rows × chunk width) when it cannot gather.</summary>
    private sealed class Scratch(bool gatherEnabled)
    {
        public GatherFold? Gather { get; } = gatherEnabled && GatherFold.IsSupported ? new GatherFold() : null;
        public byte[] Counts { get; private set; } = [];
        public float[] Image { get; private set; } = [];
        public float[] Variance { get; private set; } = [];
        public int[] Mask { get; private set; } = [];

        public void EnsurePlanes(int area, int countBytes)
        {
            if (Image.Length >= area) return;
            Counts = GC.AllocateUninitializedArray<byte>(area * countBytes);
            Image = GC.AllocateUninitializedArray<float>(area);
            Variance = GC.AllocateUninitializedArray<float>(area);
            Mask = GC.AllocateUninitializedArray<int>(area);
        }
    }
}
