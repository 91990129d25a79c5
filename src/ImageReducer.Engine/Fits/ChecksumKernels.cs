using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ImageReducer.Engine.Fits;

/// <summary>
/// The inner loops of the FITS checksum: sums of the low and high 16-bit halves of 32-bit words (the
/// two running sums of cfitsio's <c>ffcsum</c>, which fold with end-around carry into the 32-bit
/// ones'-complement sum), over native words, over big-endian bytes, or fused with the byte swap that
/// turns FITS data into native pixels (one pass: each vector is loaded once, swapped, stored and summed).
/// </summary>
/// <remarks>
/// 256-bit vectors: per 32 bytes one load, (a shuffle, a store,) an and, a shift and two adds; the
/// 32-bit lane sums are flushed to 64 bits before they can overflow (65 535 adds of at most 0xFFFF).
/// The kernels are precompiled in the ReadyToRun image (x86-64-v3, the CLI's and the Functions app's publish): a fresh
/// <c>imred</c> reads with optimised code from its first chunk without compiling ~1,600 bytes of IL at the start of
/// every read, which <c>AggressiveOptimization</c> forced (crossgen2 never precompiles such a method). What crossgen2
/// needs for that: no vector passed by value or returned (<see cref="Wide"/> takes it by reference), and the AVX2
/// instructions themselves where a framework vector helper is not precompilable (<c>Avx2.ShiftRightLogical</c>). A host
/// without the image (tests, <c>func start</c>) starts them in tier-0 code until on-stack replacement optimises the loops.
/// </remarks>
internal static class ChecksumKernels
{
    // Vectors per flush of the 32-bit lane sums (even, so the two-vector loops end on it): 65 534 × 0xFFFF < 2^32.
    private const int FlushVectors = 65534;

    /// <summary>Σ (w &amp; 0xFFFF) and Σ (w &gt;&gt; 16) over native 32-bit words.</summary>
    public static void SumHalves(ReadOnlySpan<uint> words, out ulong low, out ulong high)
    {
        low = high = 0;
        int i = 0, n = words.Length;
        ref uint w = ref MemoryMarshal.GetReference(words);
        if (Avx2.IsSupported && n >= Vector256<uint>.Count)
        {
            var mask = Vector256.Create(0xFFFFu);
            int vecEnd = n - n % Vector256<uint>.Count;
            while (i < vecEnd)
            {
                int blockEnd = (int)Math.Min(vecEnd, i + (long)FlushVectors * Vector256<uint>.Count);
                Vector256<uint> l0 = default, h0 = default, l1 = default, h1 = default;
                for (; i + 2 * Vector256<uint>.Count <= blockEnd; i += 2 * Vector256<uint>.Count)
                {
                    var v0 = Vector256.LoadUnsafe(ref w, (nuint)i);
                    var v1 = Vector256.LoadUnsafe(ref w, (nuint)(i + Vector256<uint>.Count));
                    l0 += v0 & mask; h0 += Avx2.ShiftRightLogical(v0, 16);
                    l1 += v1 & mask; h1 += Avx2.ShiftRightLogical(v1, 16);
                }
                if (i < blockEnd)
                {
                    var v = Vector256.LoadUnsafe(ref w, (nuint)i);
                    l0 += v & mask; h0 += Avx2.ShiftRightLogical(v, 16);
                    i += Vector256<uint>.Count;
                }
                low += Wide(l0) + Wide(l1);
                high += Wide(h0) + Wide(h1);
            }
        }
        for (; i < n; i++)
        {
            uint v = Unsafe.Add(ref w, i);
            low += v & 0xFFFF;
            high += v >> 16;
        }
    }

    /// <summary>
    /// Σ of the low and high halves of the big-endian 32-bit words in <paramref name="bytes"/> (FITS data
    /// as stored), without changing them. <paramref name="bytes"/>.Length must be a multiple of 4.
    /// </summary>
    public static void SumBigEndianHalves(ReadOnlySpan<byte> bytes, out ulong low, out ulong high)
    {
        if (!Avx2.IsSupported || !BitConverter.IsLittleEndian)
        {
            SumBigEndianHalvesScalar(bytes, out low, out high);
            return;
        }
        low = high = 0;
        int i = 0, n = bytes.Length;
        ref byte b = ref MemoryMarshal.GetReference(bytes);
        var swap = SwapMask(4);
        var mask = Vector256.Create(0xFFFFu);
        int vecEnd = n - n % Vector256<byte>.Count;
        while (i < vecEnd)
        {
            int blockEnd = (int)Math.Min(vecEnd, i + (long)FlushVectors * Vector256<byte>.Count);
            Vector256<uint> l0 = default, h0 = default;
            for (; i < blockEnd; i += Vector256<byte>.Count)
            {
                var v = Avx2.Shuffle(Vector256.LoadUnsafe(ref b, (nuint)i), swap).AsUInt32();
                l0 += v & mask; h0 += Avx2.ShiftRightLogical(v, 16);
            }
            low += Wide(l0);
            high += Wide(h0);
        }
        SumBigEndianHalvesScalar(bytes[i..], out ulong lt, out ulong ht);
        low += lt;
        high += ht;
    }

    /// <summary>
    /// Reverses each <paramref name="elementSize"/>-byte element of <paramref name="bytes"/> in place
    /// (big-endian FITS data → native pixels) and returns Σ of the low and high halves of the resulting
    /// native 32-bit words. <paramref name="bytes"/>.Length must be a multiple of 4 and of the element size.
    /// </summary>
    public static void SwapAndSumHalves(Span<byte> bytes, int elementSize, out ulong low, out ulong high)
    {
        if (!Avx2.IsSupported || !BitConverter.IsLittleEndian)
        {
            FitsPixels.SwapInPlace(bytes, elementSize);
            SumHalves(MemoryMarshal.Cast<byte, uint>(bytes), out low, out high);
            return;
        }
        low = high = 0;
        int i = 0, n = bytes.Length;
        ref byte b = ref MemoryMarshal.GetReference(bytes);
        var swap = SwapMask(elementSize);
        var mask = Vector256.Create(0xFFFFu);
        int vecEnd = n - n % (2 * Vector256<byte>.Count);
        while (i < vecEnd)
        {
            int blockEnd = (int)Math.Min(vecEnd, i + (long)FlushVectors * Vector256<byte>.Count);
            Vector256<uint> l0 = default, h0 = default, l1 = default, h1 = default;
            for (; i < blockEnd; i += 2 * Vector256<byte>.Count)
            {
                var v0 = Avx2.Shuffle(Vector256.LoadUnsafe(ref b, (nuint)i), swap);
                var v1 = Avx2.Shuffle(Vector256.LoadUnsafe(ref b, (nuint)(i + Vector256<byte>.Count)), swap);
                v0.StoreUnsafe(ref b, (nuint)i);
                v1.StoreUnsafe(ref b, (nuint)(i + Vector256<byte>.Count));
                var w0 = v0.AsUInt32();
                var w1 = v1.AsUInt32();
                l0 += w0 & mask; h0 += Avx2.ShiftRightLogical(w0, 16);
                l1 += w1 & mask; h1 += Avx2.ShiftRightLogical(w1, 16);
            }
            low += Wide(l0) + Wide(l1);
            high += Wide(h0) + Wide(h1);
        }
        var tail = bytes[i..];
        FitsPixels.SwapInPlace(tail, elementSize);
        SumHalves(MemoryMarshal.Cast<byte, uint>(tail), out ulong lt, out ulong ht);
        low += lt;
        high += ht;
    }

    private static void SumBigEndianHalvesScalar(ReadOnlySpan<byte> bytes, out ulong low, out ulong high)
    {
        low = high = 0;
        foreach (uint raw in MemoryMarshal.Cast<byte, uint>(bytes))
        {
            uint v = BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(raw) : raw;
            low += v & 0xFFFF;
            high += v >> 16;
        }
    }

    /// <summary>The pshufb control that reverses every <paramref name="elementSize"/>-byte group of each 128-bit lane.</summary>
    private static Vector256<byte> SwapMask(int elementSize)
    {
        Span<byte> m = stackalloc byte[32];
        for (int k = 0; k < 32; k++) m[k] = (byte)(k % 16 / elementSize * elementSize + elementSize - 1 - k % elementSize);
        return Vector256.Create<byte>(m);
    }

    /// <summary>The sum of the eight 32-bit lanes, without overflow.</summary>
    /// <remarks>
    /// By reference and through memory, not <c>Vector256.Widen</c>: crossgen2 leaves a method that passes a vector by value
    /// or calls that framework helper to the JIT ("ABI unstable type"), and this runs once per flush of the lane sums.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Wide(in Vector256<uint> v)
    {
        Span<uint> lanes = stackalloc uint[8];
        Unsafe.As<uint, Vector256<uint>>(ref MemoryMarshal.GetReference(lanes)) = v;
        ulong sum = 0;
        foreach (uint lane in lanes) sum += lane;
        return sum;
    }
}
