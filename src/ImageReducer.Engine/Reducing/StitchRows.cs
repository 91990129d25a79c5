using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ImageReducer.Engine.Reducing;

/// <summary>
/// The per-row folds of the stitching reducers. A contribution is valid where its
/// <c>image × variance</c> (float32 product) is not NaN. During the fold the output mask plane
/// holds only the contributions' bits (the input mask is OR-ed in by <see cref="Finish"/>, so the
/// fold does not read it — one memory stream fewer in the scattered, cache-missing cell loop):
/// while a pixel has no valid contribution it is the OR of every contribution's mask; the first
/// used value resets it to that contribution's mask.
/// </summary>
internal static class StitchRows
{
    /// <summary>
    /// The NaN written for pixels without a value: the positive quiet NaN (0x7FC00000) that numpy
    /// writes, rather than .NET's <see cref="float.NaN"/> (0xFFC00000), so outputs compare bit-exact
    /// with the reference.
    /// </summary>
    public static readonly float QuietNaN = BitConverter.Int32BitsToSingle(0x7FC00000);

    /// <summary>
    /// <c>sum</c>/<c>average</c>: valid values are added (float32, so the cell order fixes the
    /// bits); the count of valid contributions grows by one.
    /// </summary>
    /// <remarks>
    /// The output planes are not initialised: a pixel whose count is zero is taken as +0 (the
    /// reference's start value), so its first valid value is stored as <c>+0 + x</c>, exactly what
    /// the reference computes (+0 + −0 is +0); <see cref="Finish"/> writes the zero-count pixels.
    /// An invalid lane adds +0 instead of skipping. That is bit-identical: the accumulator starts
    /// at +0 and a float32 sum is −0 only when both terms are −0, so it is never −0 and x + 0 == x.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: optimised from its first call in a fresh process
    public static void Accumulate<TCount>(Span<float> outImage, Span<float> outVariance, Span<int> outMask, Span<TCount> count,
        ReadOnlySpan<float> image, ReadOnlySpan<float> variance, ReadOnlySpan<int> mask) where TCount : unmanaged
    {
        int n = outImage.Length;
        int i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            ref float oi = ref MemoryMarshal.GetReference(outImage);
            ref float ov = ref MemoryMarshal.GetReference(outVariance);
            ref int om = ref MemoryMarshal.GetReference(outMask);
            ref TCount oc = ref MemoryMarshal.GetReference(count);
            ref float ri = ref MemoryMarshal.GetReference(image);
            ref float rv = ref MemoryMarshal.GetReference(variance);
            ref int rm = ref MemoryMarshal.GetReference(mask);
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                nuint k = (nuint)i;
                var img = Vector.LoadUnsafe(ref ri, k);
                var vr = Vector.LoadUnsafe(ref rv, k);
                var product = img * vr;
                Vector<int> valid = Vector.Equals(product, product);
                var c = CountLanes.Load(ref oc, k);
                Vector<int> none = Vector.Equals(c, Vector<int>.Zero);
                var m = Vector.LoadUnsafe(ref rm, k);
                var o = Vector.LoadUnsafe(ref om, k);
                var merged = Vector.ConditionalSelect(valid | none, o | m, o);
                var newMask = Vector.ConditionalSelect(valid & none, m, merged);
                // Usually nothing changes (zero masks): not storing keeps the line clean, saving its write-back.
                if (newMask != o) Vector.StoreUnsafe(newMask, ref om, k);
                Vector.StoreUnsafe(Vector.AndNot(Vector.LoadUnsafe(ref oi, k), none.As<int, float>()) + Vector.ConditionalSelect(valid, img, Vector<float>.Zero), ref oi, k);
                Vector.StoreUnsafe(Vector.AndNot(Vector.LoadUnsafe(ref ov, k), none.As<int, float>()) + Vector.ConditionalSelect(valid, vr, Vector<float>.Zero), ref ov, k);
                CountLanes.Store(c - valid, ref oc, k); // valid lanes are −1
            }
        }
        for (; i < n; i++)
        {
            float product = image[i] * variance[i];
            bool valid = !float.IsNaN(product);
            bool none = CountLanes.Get<TCount>(count, i) == 0;
            if (valid)
            {
                outMask[i] = none ? mask[i] : outMask[i] | mask[i];
                outImage[i] = (none ? 0f : outImage[i]) + image[i];
                outVariance[i] = (none ? 0f : outVariance[i]) + variance[i];
                CountLanes.Set(count, i, CountLanes.Get<TCount>(count, i) + 1);
            }
            else if (none)
            {
                outMask[i] |= mask[i];
            }
        }
    }

    /// <summary><c>copy</c>: valid values overwrite (later cells win); the contribution mask becomes the winner's mask.</summary>
    /// <remarks>The output planes are not initialised: a lane never written keeps whatever was there
    /// and its count stays zero, so <see cref="Finish"/> writes its NaN.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: optimised from its first call in a fresh process
    public static void Overwrite<TCount>(Span<float> outImage, Span<float> outVariance, Span<int> outMask, Span<TCount> count,
        ReadOnlySpan<float> image, ReadOnlySpan<float> variance, ReadOnlySpan<int> mask) where TCount : unmanaged
    {
        int n = outImage.Length;
        int i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            ref float oi = ref MemoryMarshal.GetReference(outImage);
            ref float ov = ref MemoryMarshal.GetReference(outVariance);
            ref int om = ref MemoryMarshal.GetReference(outMask);
            ref TCount oc = ref MemoryMarshal.GetReference(count);
            ref float ri = ref MemoryMarshal.GetReference(image);
            ref float rv = ref MemoryMarshal.GetReference(variance);
            ref int rm = ref MemoryMarshal.GetReference(mask);
            var allValid = Vector<int>.AllBitsSet;
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                nuint k = (nuint)i;
                var img = Vector.LoadUnsafe(ref ri, k);
                var vr = Vector.LoadUnsafe(ref rv, k);
                var product = img * vr;
                Vector<int> valid = Vector.Equals(product, product);
                var c = CountLanes.Load(ref oc, k);
                var m = Vector.LoadUnsafe(ref rm, k);
                var o = Vector.LoadUnsafe(ref om, k);
                if (Vector.EqualsAll(valid, allValid))
                {
                    // Every lane is overwritten (the usual case): no selects.
                    if (m != o) Vector.StoreUnsafe(m, ref om, k);
                    Vector.StoreUnsafe(img, ref oi, k);
                    Vector.StoreUnsafe(vr, ref ov, k);
                    CountLanes.Store(c - valid, ref oc, k);
                    continue;
                }
                Vector<int> none = Vector.Equals(c, Vector<int>.Zero);
                var kept = Vector.ConditionalSelect(none, o | m, o);
                var newMask = Vector.ConditionalSelect(valid, m, kept);
                if (newMask != o) Vector.StoreUnsafe(newMask, ref om, k);
                Vector.StoreUnsafe(Vector.ConditionalSelect(valid, img, Vector.LoadUnsafe(ref oi, k)), ref oi, k);
                Vector.StoreUnsafe(Vector.ConditionalSelect(valid, vr, Vector.LoadUnsafe(ref ov, k)), ref ov, k);
                CountLanes.Store(c - valid, ref oc, k);
            }
        }
        for (; i < n; i++)
        {
            float product = image[i] * variance[i];
            if (!float.IsNaN(product))
            {
                outMask[i] = mask[i];
                outImage[i] = image[i];
                outVariance[i] = variance[i];
                CountLanes.Set(count, i, CountLanes.Get<TCount>(count, i) + 1);
            }
            else if (CountLanes.Get<TCount>(count, i) == 0)
            {
                outMask[i] |= mask[i];
            }
        }
    }

    /// <summary>
    /// <see cref="Accumulate"/> or (<paramref name="overwrite"/>) <see cref="Overwrite"/> over a block of
    /// <paramref name="rows"/> × <paramref name="width"/> pixels: the targets are rows of
    /// <paramref name="targetStride"/> from <paramref name="outImage"/>, <paramref name="outVariance"/>,
    /// <paramref name="outMask"/> and <paramref name="count"/>, the contribution rows of their own strides.
    /// Same values per pixel as the row folds.
    /// </summary>
    /// <remarks>
    /// One call per result and chunk rather than per row (a cell's rows are short: ~40 pixels), and a
    /// row's last partial vector is folded as one vector overlapping the previous one with the
    /// already folded lanes switched off (neither valid nor empty: nothing changes there but
    /// <c>x + 0</c>, which keeps every accumulator bit since an accumulator is never −0, and a
    /// zero-count lane's value is not read), instead of a scalar loop. The caller guarantees every
    /// row lies inside its plane.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: optimised from its first call in a fresh process
    public static void FoldBlock<TCount>(bool overwrite, ref float outImage, ref float outVariance, ref int outMask, ref TCount count, int targetStride,
        ref float image, int imageStride, ref float variance, int varianceStride, ref int mask, int maskStride, int width, int rows) where TCount : unmanaged
    {
        int lanes = Vector<float>.Count;
        if (!Vector.IsHardwareAccelerated || width < lanes)
        {
            for (int r = 0; r < rows; r++)
            {
                nint t = (nint)r * targetStride;
                var oi = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref outImage, t), width);
                var ov = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref outVariance, t), width);
                var om = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref outMask, t), width);
                var oc = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref count, t), width);
                var ri = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref image, (nint)r * imageStride), width);
                var rv = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref variance, (nint)r * varianceStride), width);
                var rm = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref mask, (nint)r * maskStride), width);
                if (overwrite) Overwrite(oi, ov, om, oc, ri, rv, rm);
                else Accumulate(oi, ov, om, oc, ri, rv, rm);
            }
            return;
        }
        int whole = width - width % lanes;
        nuint tail = (nuint)(width - lanes);
        var all = Vector<int>.AllBitsSet;
        // The last vector's lanes not folded by the whole vectors before it.
        var fresh = Vector.GreaterThanOrEqual(Vector<int>.Indices, new Vector<int>(whole - (width - lanes)));
        for (int r = 0; r < rows; r++)
        {
            if (overwrite)
            {
                for (int i = 0; i < whole; i += lanes)
                    OverwriteLanes(ref outImage, ref outVariance, ref outMask, ref count, ref image, ref variance, ref mask, (nuint)i, all);
                if (whole != width)
                    OverwriteLanes(ref outImage, ref outVariance, ref outMask, ref count, ref image, ref variance, ref mask, tail, fresh);
            }
            else
            {
                for (int i = 0; i < whole; i += lanes)
                    AccumulateLanes(ref outImage, ref outVariance, ref outMask, ref count, ref image, ref variance, ref mask, (nuint)i, all);
                if (whole != width)
                    AccumulateLanes(ref outImage, ref outVariance, ref outMask, ref count, ref image, ref variance, ref mask, tail, fresh);
            }
            outImage = ref Unsafe.Add(ref outImage, targetStride);
            outVariance = ref Unsafe.Add(ref outVariance, targetStride);
            outMask = ref Unsafe.Add(ref outMask, targetStride);
            count = ref Unsafe.Add(ref count, targetStride);
            image = ref Unsafe.Add(ref image, imageStride);
            variance = ref Unsafe.Add(ref variance, varianceStride);
            mask = ref Unsafe.Add(ref mask, maskStride);
        }
    }

    /// <summary>One vector of <see cref="Accumulate"/>; lanes outside <paramref name="active"/> are left as they are.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AccumulateLanes<TCount>(ref float oi, ref float ov, ref int om, ref TCount oc, ref float ri, ref float rv, ref int rm,
        nuint k, Vector<int> active) where TCount : unmanaged
    {
        var img = Vector.LoadUnsafe(ref ri, k);
        var vr = Vector.LoadUnsafe(ref rv, k);
        var product = img * vr;
        Vector<int> valid = Vector.Equals(product, product) & active;
        var c = CountLanes.Load(ref oc, k);
        Vector<int> none = Vector.Equals(c, Vector<int>.Zero) & active;
        var m = Vector.LoadUnsafe(ref rm, k);
        var o = Vector.LoadUnsafe(ref om, k);
        var merged = Vector.ConditionalSelect(valid | none, o | m, o);
        var newMask = Vector.ConditionalSelect(valid & none, m, merged);
        if (newMask != o) Vector.StoreUnsafe(newMask, ref om, k);
        Vector.StoreUnsafe(Vector.AndNot(Vector.LoadUnsafe(ref oi, k), none.As<int, float>()) + Vector.ConditionalSelect(valid, img, Vector<float>.Zero), ref oi, k);
        Vector.StoreUnsafe(Vector.AndNot(Vector.LoadUnsafe(ref ov, k), none.As<int, float>()) + Vector.ConditionalSelect(valid, vr, Vector<float>.Zero), ref ov, k);
        CountLanes.Store(c - valid, ref oc, k);
    }

    /// <summary>One vector of <see cref="Overwrite"/>; lanes outside <paramref name="active"/> are left as they are.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OverwriteLanes<TCount>(ref float oi, ref float ov, ref int om, ref TCount oc, ref float ri, ref float rv, ref int rm,
        nuint k, Vector<int> active) where TCount : unmanaged
    {
        var img = Vector.LoadUnsafe(ref ri, k);
        var vr = Vector.LoadUnsafe(ref rv, k);
        var product = img * vr;
        Vector<int> valid = Vector.Equals(product, product) & active;
        var c = CountLanes.Load(ref oc, k);
        var m = Vector.LoadUnsafe(ref rm, k);
        var o = Vector.LoadUnsafe(ref om, k);
        if (Vector.EqualsAll(valid, Vector<int>.AllBitsSet))
        {
            if (m != o) Vector.StoreUnsafe(m, ref om, k);
            Vector.StoreUnsafe(img, ref oi, k);
            Vector.StoreUnsafe(vr, ref ov, k);
            CountLanes.Store(c - valid, ref oc, k);
            return;
        }
        Vector<int> none = Vector.Equals(c, Vector<int>.Zero) & active;
        var kept = Vector.ConditionalSelect(none, o | m, o);
        var newMask = Vector.ConditionalSelect(valid, m, kept);
        if (newMask != o) Vector.StoreUnsafe(newMask, ref om, k);
        Vector.StoreUnsafe(Vector.ConditionalSelect(valid, img, Vector.LoadUnsafe(ref oi, k)), ref oi, k);
        Vector.StoreUnsafe(Vector.ConditionalSelect(valid, vr, Vector.LoadUnsafe(ref ov, k)), ref ov, k);
        CountLanes.Store(c - valid, ref oc, k);
    }

    /// <summary>Counts below this convert to float32 exactly (2^24).</summary>
    private static readonly Vector<int> ExactFloatCount = new(1 << 24);

    /// <summary>
    /// The final pass over one output row: ORs in the input mask, flags NaN products and zero-count pixels with the bad
    /// bits, when <paramref name="divide"/> divides by the count (float64 division written back
    /// to float32, as the reference), and writes <paramref name="empty"/> where the count is zero
    /// (those pixels were never written by the fold). A zero-count pixel counts as NaN-flagged when
    /// the reference's start value (<paramref name="start"/>) is NaN, as its product then is.
    /// </summary>
    public static void Finish<TCount>(Span<float> image, Span<float> variance, Span<int> mask, ReadOnlySpan<int> inputMask, ReadOnlySpan<TCount> count,
        int badBits, bool divide, float start, float empty, ref RowTally tally) where TCount : unmanaged
        => FinishInto(image, variance, mask, inputMask, count, image, variance, mask, badBits, divide, start, empty, ref tally);

    /// <summary>
    /// <see cref="Finish"/> reading the folded row from <paramref name="image"/>, <paramref name="variance"/>
    /// and <paramref name="mask"/> (a band's scratch rows) and writing the finished row to
    /// <paramref name="outImage"/>, <paramref name="outVariance"/> and <paramref name="outMask"/>
    /// (the output, written once). Same values per pixel; when source and target are the same
    /// spans, unchanged image and variance lanes are not stored.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: optimised from its first call in a fresh process
    public static unsafe void FinishInto<TCount>(ReadOnlySpan<float> image, ReadOnlySpan<float> variance, ReadOnlySpan<int> mask, ReadOnlySpan<int> inputMask,
        ReadOnlySpan<TCount> count, Span<float> outImage, Span<float> outVariance, Span<int> outMask,
        int badBits, bool divide, float start, float empty, ref RowTally tally) where TCount : unmanaged
    {
        int n = image.Length;
        if (outImage.Length != n || outVariance.Length != n || outMask.Length != n || variance.Length != n || mask.Length != n
            || inputMask.Length != n || count.Length != n)
            throw new ArgumentException("The rows of a finishing pass must all have the same length.");
        bool inPlace = Unsafe.AreSame(ref MemoryMarshal.GetReference(image), ref MemoryMarshal.GetReference((ReadOnlySpan<float>)outImage));
        int i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            ref float im = ref MemoryMarshal.GetReference(image);
            ref float va = ref MemoryMarshal.GetReference(variance);
            ref int ma = ref MemoryMarshal.GetReference(mask);
            ref TCount co = ref MemoryMarshal.GetReference(count);
            ref int inm = ref MemoryMarshal.GetReference(inputMask);
            ref float oim = ref MemoryMarshal.GetReference(outImage);
            ref float ova = ref MemoryMarshal.GetReference(outVariance);
            ref int oma = ref MemoryMarshal.GetReference(outMask);
            // Writing a separate target (the fused bands' output, written once and not read again
            // by the run) bypasses the cache: no read of each output line before it is overwritten.
            // The planes are pinned for the pass; 8-byte non-temporal stores need 8-byte alignment.
            fixed (float* pinImage = outImage)
            fixed (float* pinVariance = outVariance)
            fixed (int* pinMask = outMask)
            {
            // A few scalar pixels first, when that aligns all three targets to 32 bytes (planes of
            // one size share their alignment), so the vector stores can be whole aligned lines.
            int head = 0;
            if (!inPlace && n >= 2 * Vector<float>.Count)
            {
                nuint a = (nuint)pinImage & 31;
                if (a == ((nuint)pinVariance & 31) && a == ((nuint)pinMask & 31) && (a & 3) == 0) head = (int)((32 - a) & 31) / 4;
            }
            FinishScalar(image, variance, mask, inputMask, count, outImage, outVariance, outMask, 0, head, badBits, divide, start, empty, ref tally);
            i = head;
            int ntImage = inPlace ? 0 : NonTemporalWidth(pinImage + head), ntVariance = inPlace ? 0 : NonTemporalWidth(pinVariance + head);
            int ntMask = inPlace ? 0 : NonTemporalWidth(pinMask + head);
            bool nt = (ntImage | ntVariance | ntMask) != 0;
            var bad = new Vector<int>(badBits);
            var emptyValue = new Vector<float>(empty);
            var zeroIsNan = float.IsNaN(start * start) ? Vector<int>.AllBitsSet : Vector<int>.Zero;
            var sum = Vector<long>.Zero;
            var zeros = Vector<int>.Zero;
            var nans = Vector<int>.Zero;
            var max = new Vector<int>(int.MinValue);
            var min = new Vector<int>(int.MaxValue);
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                nuint k = (nuint)i;
                var c = CountLanes.Load(ref co, k);
                var img = Vector.LoadUnsafe(ref im, k);
                var vr = Vector.LoadUnsafe(ref va, k);
                var product = img * vr;
                Vector<int> isZero = Vector.Equals(c, Vector<int>.Zero);
                Vector<int> isNan = Vector.ConditionalSelect(isZero, zeroIsNan, ~Vector.Equals(product, product));
                Vector.Widen(c, out Vector<long> cLow, out Vector<long> cHigh);
                sum += cLow + cHigh;
                zeros -= isZero;
                nans -= isNan;
                max = Vector.Max(max, c);
                min = Vector.Min(min, c);
                Put(Vector.LoadUnsafe(ref ma, k) | Vector.LoadUnsafe(ref inm, k) | ((isNan | isZero) & bad), ref oma, k, ntMask);
                if (divide && Vector.EqualsAll(c, Vector<int>.One))
                {
                    // x / 1 is x: a count-1 pixel holds +0 + x for a non-NaN x, so there is nothing to compute.
                    if (!inPlace)
                    {
                        Put(img, ref oim, k, ntImage);
                        Put(vr, ref ova, k, ntVariance);
                    }
                }
                else if (divide && Vector.LessThanAll(c, ExactFloatCount))
                {
                    // Float32 division gives the same bits as the float64 division narrowed to float32:
                    // both operands are exact in float32 and double rounding is innocuous for division
                    // when the wide format has at least 2·24 + 2 bits (53 does); half the lanes' work.
                    var cf = Vector.ConvertToSingle(c);
                    Vector<float> qi, qv;
                    if (Vector.EqualsAll(c & (c - Vector<int>.One), Vector<int>.Zero))
                    {
                        // Counts that are powers of two (or zero, replaced below), the usual overlaps of 2 and 4:
                        // x · 2^−k is exactly x / 2^k (both round the same exact value; 2^−k ≥ 2^−24 is a
                        // normal float32), with 2^−k's exponent mirrored from 2^k's, and no division.
                        var reciprocal = (new Vector<int>(254 << 23) - cf.As<float, int>()).As<int, float>();
                        qi = img * reciprocal;
                        qv = vr * reciprocal;
                    }
                    else
                    {
                        qi = img / cf;
                        qv = vr / cf;
                    }
                    Put(Vector.ConditionalSelect(isZero.As<int, float>(), emptyValue, qi), ref oim, k, ntImage);
                    Put(Vector.ConditionalSelect(isZero.As<int, float>(), emptyValue, qv), ref ova, k, ntVariance);
                }
                else if (divide)
                {
                    var countLow = Vector.ConvertToDouble(cLow);
                    var countHigh = Vector.ConvertToDouble(cHigh);
                    Vector.Widen(img, out Vector<double> iLow, out Vector<double> iHigh);
                    Vector.Widen(vr, out Vector<double> vLow, out Vector<double> vHigh);
                    // Float64 division narrowed to float32 rounds as the scalar (float)((double)x / c).
                    var qi = Vector.Narrow(iLow / countLow, iHigh / countHigh);
                    var qv = Vector.Narrow(vLow / countLow, vHigh / countHigh);
                    Put(Vector.ConditionalSelect(isZero, emptyValue, qi), ref oim, k, ntImage);
                    Put(Vector.ConditionalSelect(isZero, emptyValue, qv), ref ova, k, ntVariance);
                }
                else if (!inPlace || isZero != Vector<int>.Zero)
                {
                    // In place, zero counts are rare with a covering grid: stores only here keep the other lines clean.
                    Put(Vector.ConditionalSelect(isZero.As<int, float>(), emptyValue, img), ref oim, k, ntImage);
                    Put(Vector.ConditionalSelect(isZero.As<int, float>(), emptyValue, vr), ref ova, k, ntVariance);
                }
            }
            int lanes = Vector<int>.Count;
            for (int l = 0; l < lanes; l++)
            {
                tally.ZeroCount += zeros[l];
                tally.NanFlagged += nans[l];
                tally.Max = Math.Max(tally.Max, max[l]);
                tally.Min = Math.Min(tally.Min, min[l]);
            }
            for (int l = 0; l < Vector<long>.Count; l++) tally.CountSum += sum[l];
            tally.Pixels += i - head;
            if (nt) Sse.StoreFence(); // the stores are weakly ordered: visible before the band is reported done
            }
        }
        FinishScalar(image, variance, mask, inputMask, count, outImage, outVariance, outMask, i, n, badBits, divide, start, empty, ref tally);
    }

    /// <summary>The scalar form of <see cref="FinishInto"/> for pixels <paramref name="from"/> to <paramref name="to"/> (exclusive).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: optimised from its first call in a fresh process
    private static void FinishScalar<TCount>(ReadOnlySpan<float> image, ReadOnlySpan<float> variance, ReadOnlySpan<int> mask, ReadOnlySpan<int> inputMask,
        ReadOnlySpan<TCount> count, Span<float> outImage, Span<float> outVariance, Span<int> outMask, int from, int to,
        int badBits, bool divide, float start, float empty, ref RowTally tally) where TCount : unmanaged
    {
        for (int i = from; i < to; i++)
        {
            int c = CountLanes.Get(count, i);
            tally.Add(c);
            int m = mask[i] | inputMask[i];
            float x = image[i], v = variance[i];
            if (c == 0 ? float.IsNaN(start * start) : float.IsNaN(x * v))
            {
                m |= badBits;
                tally.NanFlagged++;
            }
            if (c == 0)
            {
                m |= badBits;
                x = empty;
                v = empty;
            }
            else if (divide)
            {
                x = (float)((double)x / c);
                v = (float)((double)v / c);
            }
            outMask[i] = m;
            outImage[i] = x;
            outVariance[i] = v;
        }
    }

    /// <summary>
    /// The widest non-temporal store the row at <paramref name="p"/> allows with 32-byte vectors:
    /// 32 (one aligned AVX store), 16 (two SSE stores), 8 (four 8-byte stores), or 0 (none: ordinary stores).
    /// Rows of one plane share their alignment when the row pitch is a multiple of 32 bytes.
    /// </summary>
    private static unsafe int NonTemporalWidth(void* p)
    {
        if (Vector<byte>.Count != 32) return 0;
        nuint a = (nuint)p;
        if ((a & 31) == 0 && Avx.IsSupported) return 32;
        if ((a & 15) == 0 && Sse2.IsSupported) return 16;
        if ((a & 7) == 0 && Sse2.X64.IsSupported) return 8;
        return 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Put<T>(Vector<T> value, ref T origin, nuint k, int nonTemporal) where T : unmanaged
    {
        // Only non-zero with Vector<T> of 32 bytes on pinned planes (see FinishInto).
        if (nonTemporal == 0)
        {
            Vector.StoreUnsafe(value, ref origin, k);
            return;
        }
        byte* p = (byte*)Unsafe.AsPointer(ref Unsafe.Add(ref origin, k));
        Vector256<byte> v = value.AsVector256().AsByte();
        if (nonTemporal == 32)
        {
            Avx.StoreAlignedNonTemporal(p, v);
        }
        else if (nonTemporal == 16)
        {
            Sse2.StoreAlignedNonTemporal(p, v.GetLower());
            Sse2.StoreAlignedNonTemporal(p + 16, v.GetUpper());
        }
        else
        {
            Vector256<long> lanes = v.AsInt64();
            long* q = (long*)p;
            Sse2.X64.StoreNonTemporal(q, lanes.GetElement(0));
            Sse2.X64.StoreNonTemporal(q + 1, lanes.GetElement(1));
            Sse2.X64.StoreNonTemporal(q + 2, lanes.GetElement(2));
            Sse2.X64.StoreNonTemporal(q + 3, lanes.GetElement(3));
        }
    }
}

/// <summary>Count statistics of a band of rows; combined in band order.</summary>
internal struct RowTally
{
    public long Pixels;
    public long CountSum;
    public long ZeroCount;
    public long NanFlagged;
    public int Max;
    public int Min;

    public static RowTally Empty => new() { Max = int.MinValue, Min = int.MaxValue };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int c)
    {
        Pixels++;
        CountSum += c;
        if (c == 0) ZeroCount++;
        if (c > Max) Max = c;
        if (c < Min) Min = c;
    }

    public void Merge(in RowTally other)
    {
        Pixels += other.Pixels;
        CountSum += other.CountSum;
        ZeroCount += other.ZeroCount;
        NanFlagged += other.NanFlagged;
        Max = Math.Max(Max, other.Max);
        Min = Math.Min(Min, other.Min);
    }
}
