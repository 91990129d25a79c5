using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Reducing;

/// <summary>
/// The register fold of one chunk of a band (see <see cref="BandStitching"/>): each output vector of
/// eight pixels gathers the results covering it, in cell order, into registers and is finished and
/// stored at once. Compared with folding every result into scratch planes and finishing them in a
/// second pass, nothing is stored twice, no scratch is cleared, and a stretch of pixels covered by one
/// result (most pixels of a grid whose cells barely overlap) is a straight copy-and-finish loop.
/// </summary>
/// <remarks>
/// <para>Same values per pixel as <see cref="StitchRows.FoldBlock"/> followed by
/// <see cref="StitchRows.FinishInto"/>: a lane applies the same rule to the same contributions in the
/// same order (an accumulator that starts at +0 and is never −0, see <see cref="StitchRows.Accumulate"/>),
/// then the same finishing rule. The chunk's rows are cut where the set of results covering them
/// changes; for each such run of rows a plan lists, for every output vector, its contributions: the
/// result, the column of its row to load eight pixels from (inside the row), and — where the result
/// covers only some of the vector's lanes — the lane permutation that lines its pixels up and the
/// lanes it covers. Consecutive vectors that one result covers whole form a single-result run.</para>
/// <para>Needs AVX2 and chunks at least eight pixels wide; <see cref="TryFold"/> returns false otherwise
/// and the caller folds the chunk the other way. A result narrower than eight pixels (a clipped edge
/// cell, tiny cells) is read pixel by pixel, so no load leaves its rows.</para>
/// </remarks>
internal sealed class GatherFold
{
    private const int Lanes = 8;


    /// <summary>The most results a chunk may gather from: keeps per-lane int32 count sums of a row far from overflow.</summary>
    private const int MaxResults = 1 << 16;

    /// <summary>True when the machine has the instructions the gather needs.</summary>
    public static bool IsSupported => Avx2.IsSupported && Vector256.IsHardwareAccelerated;

    // Output vectors of the chunk: start column (relative to the chunk), lanes already written by the
    // vector before (skipped by the tally), and whether the stores bypass the cache (aligned lines).
    private int[] position = new int[64];
    private int[] skipped = new int[64];
    private bool[] streamed = new bool[64];

    // Results touching the chunk (indices into the band's results, in cell order) and where their pixels are.
    private int[] touching = new int[64];
    private Placement[] placed = new Placement[64];
    private int[] edges = new int[16];

    // Results covering the current run of rows ("slots"): planes and the index of the pixel (MinX, row).
    private Slot[] slotTable = new Slot[64];

    // Contributions per output vector: entries [entryStart[q], entryStart[q + 1]).
    private int[] entryStart = new int[65];
    private int[] entryFill = new int[64];
    private Entry[] entries = new Entry[128];
    private const int Full = 0, Partial = 1, Narrow = 2, Single = 3;

    // Segments of output vectors: single-result runs and the vectors between them.
    private Segment[] segmentPlan = new Segment[64];

    // Plans made before, by shape (see Plan): a regular grid has one shape for the rows its cells share and one for the others.
    private readonly VectorPlan?[] planCache = new VectorPlan?[4];
    private int nextPlan;
    private int[] shapeKey = new int[16];

    /// <summary>
    /// Folds and finishes the chunk <paramref name="chunk"/> of <paramref name="target"/> from
    /// <paramref name="results"/> (in cell order; results missing the chunk are skipped), adding its
    /// counts to <paramref name="tally"/>. False (nothing written) when the gather cannot take the chunk.
    /// </summary>
    /// <remarks>With <paramref name="inPlace"/> (the target's planes are the input's, whose pixels the results may view), only
    /// chunks a whole number of vectors wide are taken, and their vectors start at the chunk's first column: no vector then
    /// overlaps another, so every pixel's inputs are loaded before its output is stored and none is loaded after.</remarks>
    public bool TryFold(Exposure input, Exposure target, Box chunk, ReadOnlySpan<Exposure> results, StitchRule rule, int badBits, ref RowTally tally,
        bool inPlace = false)
    {
        if (!IsSupported || chunk.Width < Lanes || (inPlace && chunk.Width % Lanes != 0)) return false;
        int touchingCount = 0;
        for (int i = 0; i < results.Length; i++)
        {
            Box b = results[i].Box;
            if (b.Clip(chunk).IsEmpty) continue;
            if (touchingCount >= MaxResults) return false;
            Grow(ref touching, touchingCount + 1);
            Grow(ref placed, touchingCount + 1);
            touching[touchingCount++] = i;
        }
        if (rule.Overwrites) Fold<CopyMode>(input, target, chunk, results, touchingCount, rule, badBits, inPlace, ref tally);
        else if (rule.DividesByCount) Fold<AverageMode>(input, target, chunk, results, touchingCount, rule, badBits, inPlace, ref tally);
        else Fold<SumMode>(input, target, chunk, results, touchingCount, rule, badBits, inPlace, ref tally);
        return true;
    }

    private unsafe void Fold<TMode>(Exposure input, Exposure target, Box chunk, ReadOnlySpan<Exposure> results, int touchingCount,
        StitchRule rule, int badBits, bool inPlace, ref RowTally tally) where TMode : struct, IGatherMode
    {
        Image<float> outImage = target.Image, outVariance = target.Variance;
        Image<int> outMask = target.Mask.Pixels, inMask = input.Mask.Pixels;
        int edgeCount = 0;
        for (int t = 0; t < touchingCount; t++)
        {
            Exposure sub = results[touching[t]];
            placed[t] = new Placement(sub, chunk);
            // Rows where the covering set changes: few distinct values (a grid row's cells share them).
            AddEdge(ref edgeCount, placed[t].MinY);
            AddEdge(ref edgeCount, placed[t].MaxY + 1);
        }
        AddEdge(ref edgeCount, chunk.MinY);
        AddEdge(ref edgeCount, chunk.MaxY + 1);
        // Few edges (a grid row's cells share them): an insertion sort, not Array.Sort<int>, which the
        // framework's ReadyToRun image lacks (a fresh run would JIT-compile it).
        for (int i = 1; i < edgeCount; i++)
        {
            int e = edges[i], j = i - 1;
            for (; j >= 0 && edges[j] > e; j--) edges[j + 1] = edges[j];
            edges[j + 1] = e;
        }

        fixed (float* image0 = outImage.UnsafeBuffer)
        fixed (float* variance0 = outVariance.UnsafeBuffer)
        fixed (int* mask0 = outMask.UnsafeBuffer)
        {
            // Non-temporal stores of whole aligned lines, when the three planes line up (they do when
            // rented aligned with a pitch that is a multiple of 32 bytes): every row then shares the
            // first row's alignment, and the vectors are placed on it.
            int lead = 0;
            bool stream = false;
            if (outImage.Stride % Lanes == 0 && outVariance.Stride % Lanes == 0 && outMask.Stride % Lanes == 0)
            {
                nuint a = (nuint)(image0 + outImage.IndexOf(chunk.MinX, chunk.MinY)) & 31;
                if (a == ((nuint)(variance0 + outVariance.IndexOf(chunk.MinX, chunk.MinY)) & 31)
                    && a == ((nuint)(mask0 + outMask.IndexOf(chunk.MinX, chunk.MinY)) & 31) && (a & 3) == 0)
                {
                    lead = (int)((32 - a) & 31) / 4;
                    // In place, no vector may overlap another (see TryFold): a lead would make the first two overlap.
                    stream = chunk.Width - lead >= Lanes && !(inPlace && lead != 0);
                    if (!stream) lead = 0;
                }
            }
            int positions = Positions(chunk.Width, lead, stream);

            var rule8 = new FinishRule(rule, badBits);
            var counts = RowTally.Empty;
            ref int inMask0 = ref MemoryMarshal.GetArrayDataReference(inMask.UnsafeBuffer);
            for (int r = 0; r + 1 < edgeCount; r++)
            {
                int y0 = edges[r], y1 = edges[r + 1];
                if (y0 >= y1 || y0 < chunk.MinY || y1 > chunk.MaxY + 1) continue;
                int segments = Plan(touchingCount, y0, y1 - 1, positions, chunk.Width, lead, stream, out bool hasNarrow);
                for (int y = y0; y < y1; y++)
                {
                    ref int inMaskRow = ref Unsafe.Add(ref inMask0, inMask.IndexOf(chunk.MinX, y));
                    float* imageRow = image0 + outImage.IndexOf(chunk.MinX, y), varianceRow = variance0 + outVariance.IndexOf(chunk.MinX, y);
                    int* maskRow = mask0 + outMask.IndexOf(chunk.MinX, y);
                    FoldRow<TMode>(segments, y - y0, ref inMaskRow, imageRow, varianceRow, maskRow, in rule8, ref counts);
                    if (hasNarrow) FoldNarrow<TMode>(segments, y - y0, ref inMaskRow, imageRow, varianceRow, maskRow, in rule8, ref counts);
                }
            }
            if (stream) Sse.StoreFence(); // the stores are weakly ordered: visible before the band is reported done
            tally.Merge(counts);
        }
        Array.Clear(placed, 0, touchingCount); // no reference kept to results the pipeline releases
        Array.Clear(slotTable);
    }

    private void AddEdge(ref int count, int y)
    {
        for (int i = 0; i < count; i++)
            if (edges[i] == y) return;
        Grow(ref edges, count + 1);
        edges[count++] = y;
    }

    /// <summary>A result touching the chunk: its planes, the index of its pixel (MinX, MinY) in each, strides and extent (columns chunk-relative, rows clipped to the chunk).</summary>
    private readonly struct Placement
    {
        public readonly float[] Image, Variance;
        public readonly int[] Mask;
        public readonly int OriginImage, OriginVariance, OriginMask, OriginRow;
        public readonly int StrideImage, StrideVariance, StrideMask;
        public readonly int MinX, MaxX, MinY, MaxY;

        public Placement(Exposure sub, Box chunk)
        {
            Box b = sub.Box;
            Image<float> image = sub.Image, variance = sub.Variance;
            Image<int> mask = sub.Mask.Pixels;
            (Image, Variance, Mask) = (image.UnsafeBuffer, variance.UnsafeBuffer, mask.UnsafeBuffer);
            (OriginImage, OriginVariance, OriginMask, OriginRow) = (image.IndexOf(b.MinX, b.MinY), variance.IndexOf(b.MinX, b.MinY), mask.IndexOf(b.MinX, b.MinY), b.MinY);
            (StrideImage, StrideVariance, StrideMask) = (image.Stride, variance.Stride, mask.Stride);
            (MinX, MaxX) = (b.MinX - chunk.MinX, b.MaxX - chunk.MinX);
            (MinY, MaxY) = (Math.Max(b.MinY, chunk.MinY), Math.Min(b.MaxY, chunk.MaxY));
        }
    }

    /// <summary>A result covering the current run of rows: its planes, the index of its pixel (MinX, first row of the run) in each, strides and width.</summary>
    private struct Slot
    {
        public float[] Image, Variance;
        public int[] Mask;
        public int RowImage, RowVariance, RowMask;
        public int StrideImage, StrideVariance, StrideMask;
        public int Width, Result;
    }

    /// <summary>
    /// The constants of the finishing rule: bad-plane bits, the value of a pixel with no valid
    /// contribution, and whether such a pixel counts as NaN. Scalars, broadcast inside the kernels:
    /// a vector in a signature keeps crossgen2 from precompiling the method (its ABI is not stable).
    /// </summary>
    private readonly struct FinishRule(StitchRule rule, int badBits)
    {
        public readonly int Bad = badBits;
        public readonly float Empty = rule.DividesByCount ? StitchRows.QuietNaN : rule.StartValue;
        public readonly bool ZeroIsNan = float.IsNaN(rule.StartValue * rule.StartValue);
    }

    /// <summary>
    /// Folds, finishes and stores one output row of the chunk following the current plan, row
    /// <paramref name="dy"/> of the run of rows it was made for.
    /// </summary>
    /// <remarks>
    /// One loop over the row's segments with no call in it: the gather of a vector is inlined (most
    /// gathered vectors sit alone between two single-result runs, and a call per vector cost more
    /// than the vector and made every vector local live on the stack), vectors with narrow results
    /// are left to <see cref="FoldNarrow"/>, and the tally stays in registers until the row ends.
    /// </remarks>
    private unsafe void FoldRow<TMode>(int segments, int dy, ref int inMaskRow, float* imageRow, float* varianceRow, int* maskRow,
        in FinishRule finish, ref RowTally counts) where TMode : struct, IGatherMode
    {
        ref Segment segment0 = ref MemoryMarshal.GetArrayDataReference(segmentPlan);
        ref int position0 = ref MemoryMarshal.GetArrayDataReference(position);
        ref int skipped0 = ref MemoryMarshal.GetArrayDataReference(skipped);
        ref bool streamed0 = ref MemoryMarshal.GetArrayDataReference(streamed);
        ref int start0 = ref MemoryMarshal.GetArrayDataReference(entryStart);
        ref Entry entry0 = ref MemoryMarshal.GetArrayDataReference(entries);
        ref Slot table = ref MemoryMarshal.GetArrayDataReference(slotTable);
        var bad = Vector256.Create(finish.Bad);
        var empty = Vector256.Create(finish.Empty);
        var zeroIsNan = finish.ZeroIsNan ? Vector256<int>.AllBitsSet : Vector256<int>.Zero;
        var invalid = Vector256<int>.Zero; // invalid lanes of the single-result runs
        var max = Vector256.Create(int.MinValue);
        var min = Vector256.Create(int.MaxValue);
        var sumLanes = Vector256<int>.Zero;
        var zeroLanes = Vector256<int>.Zero;
        var nanLanes = Vector256<int>.Zero;
        long runPixels = 0, gatheredPixels = 0;
        for (int g = 0; g < segments; g++)
        {
            ref Segment segment = ref Unsafe.Add(ref segment0, g);
            if (segment.Kind == RunSegment)
            {
                // A single-result run: vectors eight columns apart, each covered whole by one result.
                ref Slot slot = ref Unsafe.Add(ref table, segment.Slot);
                int o = segment.Offset, x = segment.X, n = segment.Pixels;
                ref float pi = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(slot.Image), slot.RowImage + dy * slot.StrideImage + o);
                ref float pv = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(slot.Variance), slot.RowVariance + dy * slot.StrideVariance + o);
                ref int pm = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(slot.Mask), slot.RowMask + dy * slot.StrideMask + o);
                ref int pin = ref Unsafe.Add(ref inMaskRow, x);
                float* oi = imageRow + x, ov = varianceRow + x;
                int* om = maskRow + x;
                if (segment.Head >= 0)
                {
                    // The run's first vector also gathers, in its first lane and before the run's result, the pixel of
                    // the result before it (the column two cells share): folded here from the two known sources, not
                    // looked up as a gathered vector's entries.
                    ref Slot head = ref Unsafe.Add(ref table, segment.Head);
                    int ho = segment.HeadOffset;
                    var firstLane = Vector256.Create(-1, 0, 0, 0, 0, 0, 0, 0);
                    var hImg = Vector256.Create(Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(head.Image), head.RowImage + dy * head.StrideImage + ho));
                    var hVar = Vector256.Create(Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(head.Variance), head.RowVariance + dy * head.StrideVariance + ho));
                    var hMsk = Vector256.Create(Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(head.Mask), head.RowMask + dy * head.StrideMask + ho));
                    var hProduct = hImg * hVar;
                    var hValid = Vector256.Equals(hProduct, hProduct).AsInt32() & firstLane;
                    var sumImage = Vector256<float>.Zero;
                    var sumVariance = Vector256<float>.Zero;
                    var mask = Vector256<int>.Zero;
                    TMode.Fold(ref sumImage, ref sumVariance, ref mask, hImg, hVar, hMsk, hValid, firstLane);
                    var count = Vector256<int>.Zero - hValid;
                    var rImg = Vector256.LoadUnsafe(ref pi);
                    var rVar = Vector256.LoadUnsafe(ref pv);
                    var rProduct = rImg * rVar;
                    var rValid = Vector256.Equals(rProduct, rProduct).AsInt32();
                    TMode.Fold(ref sumImage, ref sumVariance, ref mask, rImg, rVar, Vector256.LoadUnsafe(ref pm), rValid, Vector256.Equals(count, Vector256<int>.Zero));
                    count -= rValid;
                    gatheredPixels += Lanes - FinishVector<TMode>(sumImage, sumVariance, mask, count, ref pin, oi, ov, om, segment.Streamed, 0,
                        bad, empty, zeroIsNan, ref max, ref min, ref sumLanes, ref zeroLanes, ref nanLanes);
                    pi = ref Unsafe.Add(ref pi, Lanes);
                    pv = ref Unsafe.Add(ref pv, Lanes);
                    pm = ref Unsafe.Add(ref pm, Lanes);
                    pin = ref Unsafe.Add(ref pin, Lanes);
                    oi += Lanes;
                    ov += Lanes;
                    om += Lanes;
                    n -= Lanes;
                }
                // Two copies of the loop, so the choice of store is not a test per vector.
                if (segment.Streamed) invalid = Run<TMode, StreamedStores>(ref pi, ref pv, ref pm, ref pin, oi, ov, om, n, bad, empty, invalid);
                else invalid = Run<TMode, CachedStores>(ref pi, ref pv, ref pm, ref pin, oi, ov, om, n, bad, empty, invalid);
                runPixels += n;
                continue;
            }

            // Vectors that gather their contributions, in cell order. Those with a result narrower than a
            // vector are left to FoldNarrow, after the row: their loads are calls, and a call in this
            // loop would cost every vector of the row its registers.
            if (segment.Kind == NarrowSegment) continue;
            for (int q = segment.Q0; q < segment.Q1; q++)
            {
                gatheredPixels += Lanes - GatherVector<TMode, WideLoads>(q, dy, ref position0, ref skipped0, ref streamed0, ref start0, ref entry0, ref table,
                    ref inMaskRow, imageRow, varianceRow, maskRow, bad, empty, zeroIsNan, ref max, ref min, ref sumLanes, ref zeroLanes, ref nanLanes);
            }
        }
        if (gatheredPixels > 0)
        {
            counts.Max = Math.Max(counts.Max, MaxLane(max));
            counts.Min = Math.Min(counts.Min, MinLane(min));
            counts.Pixels += gatheredPixels;
            counts.CountSum += Sum(sumLanes);
            counts.ZeroCount += Sum(zeroLanes);
            counts.NanFlagged += Sum(nanLanes);
        }
        if (runPixels > 0)
        {
            // Counts of a run are 1 (valid) or 0: the tally follows from the number of invalid lanes.
            long zeros = Sum(invalid);
            counts.Pixels += runPixels;
            counts.CountSum += runPixels - zeros;
            counts.ZeroCount += zeros;
            if (finish.ZeroIsNan) counts.NanFlagged += zeros;
            if (zeros > 0) counts.Min = Math.Min(counts.Min, 0);
            if (zeros < runPixels)
            {
                counts.Max = Math.Max(counts.Max, 1);
                counts.Min = Math.Min(counts.Min, zeros > 0 ? 0 : 1);
            }
        }
    }

    /// <summary>
    /// A single-result run of <paramref name="n"/> pixels: each vector's lone contribution finished and
    /// stored; returns <paramref name="invalid"/> less the lanes without a valid contribution (as −1 each).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<int> Run<TMode, TStores>(ref float pi, ref float pv, ref int pm, ref int pin, float* oi, float* ov, int* om, int n,
        Vector256<int> bad, Vector256<float> empty, Vector256<int> invalid) where TMode : struct, IGatherMode where TStores : struct, IStores
    {
        for (int k = 0; k < n; k += Lanes)
        {
            var img = Vector256.LoadUnsafe(ref pi, (nuint)k);
            var vr = Vector256.LoadUnsafe(ref pv, (nuint)k);
            var product = img * vr;
            var valid = Vector256.Equals(product, product);
            // A lone valid contribution: copy keeps it, sum and average give +0 + x (and x / 1 is x).
            var outI = Vector256.ConditionalSelect(valid, TMode.Lone(img), empty);
            var outV = Vector256.ConditionalSelect(valid, TMode.Lone(vr), empty);
            var outM = Vector256.LoadUnsafe(ref pm, (nuint)k) | Vector256.LoadUnsafe(ref pin, (nuint)k) | Vector256.AndNot(bad, valid.AsInt32());
            invalid -= ~valid.AsInt32();
            Store(outI, outV, outM, oi + k, ov + k, om + k, TStores.Streamed);
        }
        return invalid;
    }

    /// <summary>How a run stores its vectors: <see cref="Streamed"/> bypasses the cache (whole aligned lines).</summary>
    private interface IStores
    {
        static abstract bool Streamed { get; }
    }

    private readonly struct StreamedStores : IStores
    {
        public static bool Streamed => true;
    }

    private readonly struct CachedStores : IStores
    {
        public static bool Streamed => false;
    }

    /// <summary>The vectors of one output row that gather from a result narrower than a vector (which <see cref="FoldRow"/> leaves).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private unsafe void FoldNarrow<TMode>(int segments, int dy, ref int inMaskRow, float* imageRow, float* varianceRow, int* maskRow,
        in FinishRule finish, ref RowTally counts) where TMode : struct, IGatherMode
    {
        ref int position0 = ref MemoryMarshal.GetArrayDataReference(position);
        ref int skipped0 = ref MemoryMarshal.GetArrayDataReference(skipped);
        ref bool streamed0 = ref MemoryMarshal.GetArrayDataReference(streamed);
        ref int start0 = ref MemoryMarshal.GetArrayDataReference(entryStart);
        ref Entry entry0 = ref MemoryMarshal.GetArrayDataReference(entries);
        ref Slot table = ref MemoryMarshal.GetArrayDataReference(slotTable);
        var max = Vector256.Create(int.MinValue);
        var min = Vector256.Create(int.MaxValue);
        var sumLanes = Vector256<int>.Zero;
        var zeroLanes = Vector256<int>.Zero;
        var nanLanes = Vector256<int>.Zero;
        var bad = Vector256.Create(finish.Bad);
        var empty = Vector256.Create(finish.Empty);
        var zeroIsNan = finish.ZeroIsNan ? Vector256<int>.AllBitsSet : Vector256<int>.Zero;
        long pixels = 0;
        for (int g = 0; g < segments; g++)
        {
            ref Segment segment = ref segmentPlan[g];
            if (segment.Kind != NarrowSegment) continue;
            for (int q = segment.Q0; q < segment.Q1; q++)
            {
                pixels += Lanes - GatherVector<TMode, AnyLoads>(q, dy, ref position0, ref skipped0, ref streamed0, ref start0, ref entry0, ref table,
                    ref inMaskRow, imageRow, varianceRow, maskRow, bad, empty, zeroIsNan, ref max, ref min, ref sumLanes, ref zeroLanes, ref nanLanes);
            }
        }
        if (pixels == 0) return;
        counts.Max = Math.Max(counts.Max, MaxLane(max));
        counts.Min = Math.Min(counts.Min, MinLane(min));
        counts.Pixels += pixels;
        counts.CountSum += Sum(sumLanes);
        counts.ZeroCount += Sum(zeroLanes);
        counts.NanFlagged += Sum(nanLanes);
    }

    /// <summary>
    /// Gathers, finishes and stores output vector <paramref name="q"/> of row <paramref name="dy"/> of
    /// the run of rows, adding its counts to the lane tallies (lanes counted by the vector before excepted).
    /// Returns the number of those lanes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe int GatherVector<TMode, TLoads>(int q, int dy, ref int position0, ref int skipped0, ref bool streamed0, ref int start0,
        ref Entry entry0, ref Slot table, ref int inMaskRow, float* imageRow, float* varianceRow, int* maskRow,
        Vector256<int> bad, Vector256<float> empty, Vector256<int> zeroIsNan,
        ref Vector256<int> max, ref Vector256<int> min, ref Vector256<int> sumLanes, ref Vector256<int> zeroLanes, ref Vector256<int> nanLanes)
        where TMode : struct, IGatherMode where TLoads : struct, ILoads
    {
        int x = Unsafe.Add(ref position0, q);
        int e0 = Unsafe.Add(ref start0, q), e1 = Unsafe.Add(ref start0, q + 1);
        var sumImage = Vector256<float>.Zero;
        var sumVariance = Vector256<float>.Zero;
        var mask = Vector256<int>.Zero;
        var count = Vector256<int>.Zero;
        for (int e = e0; e < e1; e++)
        {
            ref Entry entry = ref Unsafe.Add(ref entry0, e);
            ref Slot slot = ref Unsafe.Add(ref table, entry.Slot);
            int o = entry.Offset;
            ref float rowImageRef = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(slot.Image), slot.RowImage + dy * slot.StrideImage);
            ref float rowVarianceRef = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(slot.Variance), slot.RowVariance + dy * slot.StrideVariance);
            ref int rowMaskRef = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(slot.Mask), slot.RowMask + dy * slot.StrideMask);
            Vector256<float> img, vr;
            Vector256<int> msk, valid, none;
            if (entry.Kind == Full)
            {
                img = Vector256.LoadUnsafe(ref rowImageRef, (nuint)o);
                vr = Vector256.LoadUnsafe(ref rowVarianceRef, (nuint)o);
                msk = Vector256.LoadUnsafe(ref rowMaskRef, (nuint)o);
                var product = img * vr;
                valid = Vector256.Equals(product, product).AsInt32();
                none = Vector256.Equals(count, Vector256<int>.Zero);
            }
            else
            {
                if (entry.Kind == Single)
                {
                    // The result covers one lane (a column two cells share): its pixel broadcast. A four-byte load, where
                    // eight pixels ending at that column would reach back over the columns the vector before just stored
                    // and wait on those stores (measured: the costliest load of the fold).
                    img = Vector256.Create(Unsafe.Add(ref rowImageRef, o));
                    vr = Vector256.Create(Unsafe.Add(ref rowVarianceRef, o));
                    msk = Vector256.Create(Unsafe.Add(ref rowMaskRef, o));
                }
                else if (!TLoads.Narrow || entry.Kind == Partial)
                {
                    // The result covers some lanes: line its pixels up with them (the others are switched off below).
                    var control = entry.Control;
                    img = Avx2.PermuteVar8x32(Vector256.LoadUnsafe(ref rowImageRef, (nuint)o), control);
                    vr = Avx2.PermuteVar8x32(Vector256.LoadUnsafe(ref rowVarianceRef, (nuint)o), control);
                    msk = Avx2.PermuteVar8x32(Vector256.LoadUnsafe(ref rowMaskRef, (nuint)o), control);
                }
                else
                {
                    // A result narrower than a vector: its pixels one by one (o is the first lane's column, maybe negative).
                    img = LoadNarrow(ref rowImageRef, o, slot.Width);
                    vr = LoadNarrow(ref rowVarianceRef, o, slot.Width);
                    msk = LoadNarrow(ref rowMaskRef, o, slot.Width);
                }
                var act = entry.Active;
                var product = img * vr;
                valid = Vector256.Equals(product, product).AsInt32() & act;
                none = Vector256.Equals(count, Vector256<int>.Zero) & act;
            }
            TMode.Fold(ref sumImage, ref sumVariance, ref mask, img, vr, msk, valid, none);
            count -= valid;
        }
        return FinishVector<TMode>(sumImage, sumVariance, mask, count, ref Unsafe.Add(ref inMaskRow, x), imageRow + x, varianceRow + x, maskRow + x,
            Unsafe.Add(ref streamed0, q), Unsafe.Add(ref skipped0, q), bad, empty, zeroIsNan, ref max, ref min, ref sumLanes, ref zeroLanes, ref nanLanes);
    }

    /// <summary>
    /// Finishes a gathered vector (the accumulators of its contributions and their per-lane count), stores it at
    /// <paramref name="oi"/>, <paramref name="ov"/>, <paramref name="om"/> and adds its counts to the lane tallies, the
    /// first <paramref name="skip"/> lanes (counted by the vector before) excepted. Returns <paramref name="skip"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe int FinishVector<TMode>(Vector256<float> sumImage, Vector256<float> sumVariance, Vector256<int> mask, Vector256<int> count,
        ref int inMask, float* oi, float* ov, int* om, bool streaming, int skip, Vector256<int> bad, Vector256<float> empty, Vector256<int> zeroIsNan,
        ref Vector256<int> max, ref Vector256<int> min, ref Vector256<int> sumLanes, ref Vector256<int> zeroLanes, ref Vector256<int> nanLanes)
        where TMode : struct, IGatherMode
    {
        // The finishing rule of StitchRows.FinishInto, per vector.
        var isZero = Vector256.Equals(count, Vector256<int>.Zero);
        var finalProduct = sumImage * sumVariance;
        var isNan = Vector256.ConditionalSelect(isZero, zeroIsNan, ~Vector256.Equals(finalProduct, finalProduct).AsInt32());
        var outM = mask | Vector256.LoadUnsafe(ref inMask) | ((isNan | isZero) & bad);
        Vector256<float> outI, outV;
        if (TMode.Divides && !AllEqual(count, Vector256<int>.One))
        {
            var cf = Vector256.ConvertToSingle(count);
            if (AllEqual(count & (count - Vector256<int>.One), Vector256<int>.Zero))
            {
                // Powers of two (or zero, replaced below): x · 2^−k is exactly x / 2^k (see StitchRows.FinishInto).
                var reciprocal = (Vector256.Create(254 << 23) - cf.AsInt32()).AsSingle();
                outI = sumImage * reciprocal;
                outV = sumVariance * reciprocal;
            }
            else
            {
                // Float32 division of exact operands (counts < 2^24) rounds as the float64 division narrowed.
                outI = sumImage / cf;
                outV = sumVariance / cf;
            }
            outI = Vector256.ConditionalSelect(isZero.AsSingle(), empty, outI);
            outV = Vector256.ConditionalSelect(isZero.AsSingle(), empty, outV);
        }
        else
        {
            outI = Vector256.ConditionalSelect(isZero.AsSingle(), empty, sumImage);
            outV = Vector256.ConditionalSelect(isZero.AsSingle(), empty, sumVariance);
        }
        Store(outI, outV, outM, oi, ov, om, streaming);

        // Lanes the vector before already counted are left out of the tally.
        if (skip != 0)
        {
            var fresh = Vector256.GreaterThanOrEqual(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(skip));
            count &= fresh;
            isZero &= fresh;
            isNan &= fresh;
            max = Vector256.Max(max, count);
            min = Vector256.Min(min, Vector256.ConditionalSelect(fresh, count, Vector256.Create(int.MaxValue)));
        }
        else
        {
            max = Vector256.Max(max, count);
            min = Vector256.Min(min, count);
        }
        sumLanes += count;
        zeroLanes -= isZero;
        nanLanes -= isNan;
        return skip;
    }

    /// <summary>Lanes j of a row <paramref name="width"/> pixels long at columns <paramref name="first"/> + j; lanes outside the row are zero (never read).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector256<T> LoadNarrow<T>(ref T row, int first, int width) where T : unmanaged
    {
        Span<T> lanes = stackalloc T[Lanes];
        for (int j = 0; j < Lanes; j++)
        {
            int c = first + j;
            lanes[j] = (uint)c < (uint)width ? Unsafe.Add(ref row, c) : default;
        }
        return Vector256.Create<T>(lanes);
    }

    /// <summary>Stores a finished vector's three planes: whole aligned lines bypassing the cache when <paramref name="streaming"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store(Vector256<float> image, Vector256<float> variance, Vector256<int> mask, float* oi, float* ov, int* om, bool streaming)
    {
        if (streaming)
        {
            Avx.StoreAlignedNonTemporal(oi, image);
            Avx.StoreAlignedNonTemporal(ov, variance);
            Avx.StoreAlignedNonTemporal((float*)om, mask.AsSingle());
        }
        else
        {
            Avx.Store(oi, image);
            Avx.Store(ov, variance);
            Avx.Store(om, mask);
        }
    }

    /// <summary>
    /// Every lane of <paramref name="a"/> equals <paramref name="b"/>'s. The kernels call the AVX2
    /// instructions themselves where a <see cref="Vector256"/> helper of the framework would be a call in
    /// crossgen2's eyes (it cannot inline across the framework's version bubble), which keeps the whole
    /// kernel out of the ReadyToRun image.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool AllEqual(Vector256<int> a, Vector256<int> b) => Avx2.MoveMask(Avx2.CompareEqual(a, b).AsByte()) == -1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int MaxLane(Vector256<int> v)
    {
        var m = Vector128.Max(v.GetLower(), v.GetUpper());
        m = Vector128.Max(m, Vector128.Shuffle(m, Vector128.Create(2, 3, 0, 1)));
        return Math.Max(m.ToScalar(), m.GetElement(1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int MinLane(Vector256<int> v)
    {
        var m = Vector128.Min(v.GetLower(), v.GetUpper());
        m = Vector128.Min(m, Vector128.Shuffle(m, Vector128.Create(2, 3, 0, 1)));
        return Math.Min(m.ToScalar(), m.GetElement(1));
    }

    /// <summary>
    /// The output vectors of a chunk <paramref name="width"/> wide: an unaligned one at the start when
    /// <paramref name="lead"/> lanes come before the first aligned line, aligned ones (streamed when
    /// <paramref name="stream"/>), and one ending at the chunk's end when the width leaves a remainder.
    /// </summary>
    private int Positions(int width, int lead, bool stream)
    {
        int count = 0, end = 0;
        int most = width / Lanes + 3;
        Grow(ref position, most);
        Grow(ref skipped, most);
        Grow(ref streamed, most);
        Grow(ref entryFill, most);
        void Add(int x, bool nt)
        {
            position[count] = x;
            skipped[count] = Math.Max(0, end - x);
            streamed[count] = nt;
            end = x + Lanes;
            count++;
        }
        if (lead > 0) Add(0, false);
        for (int x = lead; x + Lanes <= width; x += Lanes) Add(x, stream);
        if (end < width) Add(width - Lanes, false);
        return count;
    }

    /// <summary>
    /// Plans rows <paramref name="y0"/> to <paramref name="y1"/> of the chunk, which the same results
    /// cover: fills the slots (those results, positioned on row <paramref name="y0"/>), then takes the
    /// vectors' contributions and segments from the cache when a plan of the same shape was made before, or
    /// makes them. Returns the number of segments.
    /// </summary>
    /// <remarks>
    /// The contributions and segments depend only on the output vectors (the chunk's width, lead and
    /// store choice) and on the slots' columns in cell order, not on which results fill the slots: every
    /// row of cells of a regular grid has the same shape, so a band's plans are made once and reused by
    /// every later band (measured: making them took ~10 % of a warm 4096² run).
    /// </remarks>
    private int Plan(int touchingCount, int y0, int y1, int positions, int width, int lead, bool stream, out bool hasNarrow)
    {
        int slots = FillSlots(touchingCount, y0, y1);
        // The shape: the output vectors' parameters, then each slot's columns.
        int keyLength = 5 + 2 * slots;
        Grow(ref shapeKey, keyLength);
        (shapeKey[0], shapeKey[1], shapeKey[2], shapeKey[3], shapeKey[4]) = (positions, width, lead, stream ? 1 : 0, slots);
        for (int s = 0; s < slots; s++)
        {
            ref readonly Placement r = ref placed[slotTable[s].Result];
            shapeKey[5 + 2 * s] = r.MinX;
            shapeKey[6 + 2 * s] = r.MaxX;
        }
        ReadOnlySpan<int> key = shapeKey.AsSpan(0, keyLength);
        foreach (VectorPlan? cached in planCache)
        {
            if (cached is null || !key.SequenceEqual(cached.Key.AsSpan(0, cached.KeyLength))) continue;
            Use(cached);
            hasNarrow = cached.HasNarrow;
            return cached.Segments;
        }
        // Made into the least recently made plan's arrays.
        VectorPlan plan = planCache[nextPlan] ??= new VectorPlan();
        nextPlan = (nextPlan + 1) % planCache.Length;
        Use(plan);
        int most = positions + 1;
        Grow(ref entryStart, most);
        Grow(ref segmentPlan, most);
        PlanEntries(slots, positions);
        int segments = Segments(positions, out hasNarrow);
        Grow(ref plan.Key, keyLength);
        key.CopyTo(plan.Key);
        (plan.KeyLength, plan.Segments, plan.HasNarrow) = (keyLength, segments, hasNarrow);
        (plan.EntryStart, plan.Entries, plan.SegmentPlan) = (entryStart, entries, segmentPlan);
        return segments;
    }

    private void Use(VectorPlan plan)
    {
        (entryStart, entries, segmentPlan) = (plan.EntryStart, plan.Entries, plan.SegmentPlan);
    }

    /// <summary>The contributions and segments of one shape of rows (see <see cref="Plan"/>), and the shape they were made for.</summary>
    private sealed class VectorPlan
    {
        public int[] Key = new int[16];
        public int KeyLength, Segments;
        public bool HasNarrow;
        public int[] EntryStart = new int[65];
        public Entry[] Entries = new Entry[128];
        public Segment[] SegmentPlan = new Segment[64];
    }

    /// <summary>Fills the slots with the results covering rows <paramref name="y0"/> to <paramref name="y1"/>, in cell order; returns their number.</summary>
    private int FillSlots(int touchingCount, int y0, int y1)
    {
        int slots = 0;
        for (int t = 0; t < touchingCount; t++)
        {
            ref readonly Placement r = ref placed[t];
            if (r.MinY > y0 || r.MaxY < y1) continue;
            Grow(ref slotTable, slots + 1);
            // The origin is the result's own first row (MinY is clipped to the chunk).
            slotTable[slots] = new Slot
            {
                Result = t,
                Image = r.Image,
                Variance = r.Variance,
                Mask = r.Mask,
                RowImage = r.OriginImage + (y0 - r.OriginRow) * r.StrideImage,
                RowVariance = r.OriginVariance + (y0 - r.OriginRow) * r.StrideVariance,
                RowMask = r.OriginMask + (y0 - r.OriginRow) * r.StrideMask,
                StrideImage = r.StrideImage,
                StrideVariance = r.StrideVariance,
                StrideMask = r.StrideMask,
                Width = r.MaxX - r.MinX + 1,
            };
            slots++;
        }
        return slots;
    }

    /// <summary>Each output vector's contributions from the <paramref name="slots"/> slots, in cell order.</summary>
    private void PlanEntries(int slots, int positions)
    {
        // Count, then place (a counting sort keeps each vector's contributions in cell order).
        Array.Clear(entryStart, 0, positions + 1);
        for (int s = 0; s < slots; s++)
        {
            int t = slotTable[s].Result;
            for (int q = FirstPosition(positions, placed[t].MinX); q < positions && position[q] <= placed[t].MaxX; q++) entryStart[q + 1]++;
        }
        for (int q = 0; q < positions; q++) entryStart[q + 1] += entryStart[q];
        GrowEntries(entryStart[positions]);
        Array.Copy(entryStart, entryFill, positions);
        var indices = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        for (int s = 0; s < slots; s++)
        {
            int t = slotTable[s].Result;
            int left = placed[t].MinX, right = placed[t].MaxX, width = right - left + 1;
            for (int q = FirstPosition(positions, left); q < positions && position[q] <= right; q++)
            {
                ref Entry entry = ref entries[entryFill[q]++];
                int dx = position[q] - left; // the vector's first lane, in the result's columns
                entry.Slot = s;
                if (dx >= 0 && dx + Lanes <= width)
                {
                    entry.Offset = dx;
                    entry.Kind = Full;
                    continue;
                }
                var column = indices + Vector256.Create(dx);
                entry.Active = Vector256.GreaterThanOrEqual(column, Vector256<int>.Zero) & Vector256.LessThan(column, Vector256.Create(width));
                if (width < Lanes)
                {
                    entry.Offset = dx;
                    entry.Kind = Narrow;
                    continue;
                }
                if (dx == 1 - Lanes || dx == width - 1)
                {
                    // One lane covered: the result's first column in the vector's last lane, or its last in the first.
                    entry.Offset = dx < 0 ? 0 : width - 1;
                    entry.Lane = dx < 0 ? Lanes - 1 : 0;
                    entry.Kind = Single;
                    continue;
                }
                int o = Math.Clamp(dx, 0, width - Lanes);
                entry.Offset = o;
                entry.Kind = Partial;
                entry.Control = (indices + Vector256.Create(dx - o)) & Vector256.Create(Lanes - 1);
            }
        }
    }

    /// <summary>
    /// Groups the output vectors into segments: runs of aligned vectors eight columns apart that one
    /// result covers whole from consecutive columns, and the vectors between them.
    /// </summary>
    private int Segments(int positions, out bool hasNarrow)
    {
        hasNarrow = false;
        int count = 0;
        bool inRun = false;
        int runSlot = -1, runOffset = 0;
        for (int q = 0; q < positions; q++)
        {
            int e = entryStart[q];
            // A vector no result covers has no entry (e may be past the last one).
            Entry entry = entryStart[q + 1] - e == 1 ? entries[e] : default;
            bool single = entryStart[q + 1] - e == 1 && entry.Kind == Full && skipped[q] == 0;
            // A vector one result covers whole whose first lane also takes, first, the last column of the result before (a
            // column two cells share): it starts a run, its first lane folded from both (see FoldRow).
            bool headed = entryStart[q + 1] - e == 2 && skipped[q] == 0 && entries[e].Kind == Single && entries[e].Lane == 0
                && entries[e + 1].Kind == Full;
            bool extends = single && inRun && entry.Slot == runSlot && entry.Offset == runOffset + Lanes
                && position[q] == position[q - 1] + Lanes && streamed[q] == streamed[q - 1];
            if (extends)
            {
                runOffset += Lanes;
                segmentPlan[count - 1].Pixels += Lanes;
                segmentPlan[count - 1].Q1 = q + 1;
                continue;
            }
            if (single || headed)
            {
                int head = -1, headOffset = 0;
                if (headed)
                {
                    (head, headOffset) = (entries[e].Slot, entries[e].Offset);
                    entry = entries[e + 1];
                }
                segmentPlan[count++] = new Segment
                {
                    Q0 = q, Q1 = q + 1, Kind = RunSegment, Slot = entry.Slot, Offset = entry.Offset, X = position[q], Pixels = Lanes, Streamed = streamed[q],
                    Head = head, HeadOffset = headOffset,
                };
                inRun = true;
                runSlot = entry.Slot;
                runOffset = entry.Offset;
                continue;
            }
            int kind = GatherSegment;
            for (int k = e; k < entryStart[q + 1]; k++)
                if (entries[k].Kind == Narrow) kind = NarrowSegment;
            if (count == 0 || inRun || segmentPlan[count - 1].Kind != kind)
            {
                segmentPlan[count++] = new Segment { Q0 = q, Q1 = q + 1, Kind = kind };
                hasNarrow |= kind == NarrowSegment;
            }
            else
            {
                segmentPlan[count - 1].Q1 = q + 1;
            }
            inRun = false;
        }
        return count;
    }

    /// <summary>
    /// Output vectors <see cref="Q0"/> to <see cref="Q1"/> (exclusive): a single-result run (slot,
    /// column in the result's row, first output column, pixels, streamed) or vectors that gather.
    /// </summary>
    private struct Segment
    {
        public int Q0, Q1, Slot, Offset, X, Pixels;
        /// <summary>The slot whose pixel the run's first vector gathers in its first lane before the run's result, or −1; and that pixel's column in its row.</summary>
        public int Head, HeadOffset;
        public int Kind; // RunSegment, GatherSegment or NarrowSegment
        public bool Streamed;
    }

    private const int RunSegment = 0, GatherSegment = 1, NarrowSegment = 2;

    /// <summary>How a gathered vector loads its contributions: <see cref="Narrow"/> when some may be narrower than a vector.</summary>
    private interface ILoads
    {
        static abstract bool Narrow { get; }
    }

    /// <summary>Contributions at least a vector wide (loaded whole, permuted when partial).</summary>
    private readonly struct WideLoads : ILoads
    {
        public static bool Narrow => false;
    }

    /// <summary>Any contribution, narrow ones read pixel by pixel.</summary>
    private readonly struct AnyLoads : ILoads
    {
        public static bool Narrow => true;
    }

    /// <summary>
    /// One contribution to an output vector: the slot, the column of its row to load eight pixels
    /// from, and for a result covering only some lanes the permutation that lines its pixels up
    /// (<see cref="Partial"/>) and the lanes it covers; for a result covering one lane (<see cref="Single"/>), the column of
    /// its one pixel and that lane (<see cref="Entry.Lane"/>: 0 or 7).
    /// </summary>
    private struct Entry
    {
        public Vector256<int> Control, Active;
        public int Slot, Offset, Kind, Lane;
    }

    /// <summary>The first output vector whose lanes reach column <paramref name="x"/> (chunk-relative).</summary>
    private int FirstPosition(int positions, int x)
    {
        if (x <= 0) return 0;
        // Vectors are eight columns apart but for the first and the last: start from the estimate and step.
        int q = Math.Clamp((x - Lanes + 1) / Lanes, 0, positions - 1);
        while (q > 0 && position[q - 1] + Lanes - 1 >= x) q--;
        while (q < positions && position[q] + Lanes - 1 < x) q++;
        return q;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Sum(Vector256<int> v) => Vector256.Sum(Vector256.WidenLower(v) + Vector256.WidenUpper(v));

    private static void Grow<T>(ref T[] array, int length)
    {
        if (array.Length >= length) return;
        // Not Array.Resize: a framework generic over this class's structs is compiled at run time (outside the ReadyToRun image).
        var larger = new T[Math.Max(length, 2 * array.Length)];
        Array.Copy(array, larger, array.Length);
        array = larger;
    }

    private void GrowEntries(int length)
    {
        Grow(ref entries, length);
    }

    /// <summary>One contribution's effect on a lane's accumulators, per operation (see <see cref="StitchRows"/>).</summary>
    private interface IGatherMode
    {
        static abstract bool Divides { get; }

        /// <summary>The output value of a lone valid contribution <paramref name="x"/>.</summary>
        static abstract Vector256<float> Lone(Vector256<float> x);

        static abstract void Fold(ref Vector256<float> image, ref Vector256<float> variance, ref Vector256<int> mask,
            Vector256<float> img, Vector256<float> vr, Vector256<int> msk, Vector256<int> valid, Vector256<int> none);
    }

    /// <summary><c>copy</c>: a valid value overwrites and its mask replaces the lane's; masks of invalid ones gather while the lane has none.</summary>
    private readonly struct CopyMode : IGatherMode
    {
        public static bool Divides => false;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Lone(Vector256<float> x) => x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Fold(ref Vector256<float> image, ref Vector256<float> variance, ref Vector256<int> mask,
            Vector256<float> img, Vector256<float> vr, Vector256<int> msk, Vector256<int> valid, Vector256<int> none)
        {
            mask = Vector256.ConditionalSelect(valid, msk, Vector256.ConditionalSelect(none, mask | msk, mask));
            image = Vector256.ConditionalSelect(valid.AsSingle(), img, image);
            variance = Vector256.ConditionalSelect(valid.AsSingle(), vr, variance);
        }
    }

    /// <summary><c>sum</c>: valid values add (the accumulators start at +0); the first valid mask replaces the gathered ones.</summary>
    private readonly struct SumMode : IGatherMode
    {
        public static bool Divides => false;

        /// <summary>+0 + x: x, but −0 becomes +0 (the JIT keeps an IEEE addition of +0).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Lone(Vector256<float> x) => Vector256<float>.Zero + x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Fold(ref Vector256<float> image, ref Vector256<float> variance, ref Vector256<int> mask,
            Vector256<float> img, Vector256<float> vr, Vector256<int> msk, Vector256<int> valid, Vector256<int> none)
        {
            mask = Vector256.ConditionalSelect(valid & none, msk, Vector256.ConditionalSelect(valid | none, mask | msk, mask));
            image += img & valid.AsSingle();
            variance += vr & valid.AsSingle();
        }
    }

    /// <summary><c>average</c>: as <c>sum</c>, divided by the count when finished.</summary>
    private readonly struct AverageMode : IGatherMode
    {
        public static bool Divides => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Lone(Vector256<float> x) => SumMode.Lone(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Fold(ref Vector256<float> image, ref Vector256<float> variance, ref Vector256<int> mask,
            Vector256<float> img, Vector256<float> vr, Vector256<int> msk, Vector256<int> valid, Vector256<int> none)
            => SumMode.Fold(ref image, ref variance, ref mask, img, vr, msk, valid, none);
    }
}
