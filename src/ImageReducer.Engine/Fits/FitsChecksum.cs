using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Fits;

/// <summary>
/// The FITS ones'-complement 32-bit checksum (the CHECKSUM/DATASUM convention of the FITS standard,
/// as cfitsio's <c>ffcsum</c>) as a composable accumulator.
/// </summary>
/// <remarks>
/// The sum keeps, for each of the four byte positions of a 32-bit big-endian word, the sum of the
/// bytes at that position (file offset mod 4). Those sums are plain additions, so parts computed
/// separately — in parallel, by tiles, in any order — combine exactly with <see cref="Combine"/> or
/// <c>+</c>, as long as each part was added with its true file (or data-unit) offset. Parts need not
/// be 4-byte aligned. <see cref="Value"/> folds the sums with end-around carry into the 32-bit
/// ones'-complement sum. An immutable value type: every Add returns a new sum.
/// </remarks>
public readonly struct FitsChecksum : IEquatable<FitsChecksum>
{
    // Flush the 32-bit vector lanes before they can overflow: 255 × 2^23 < 2^31.
    private const int FlushWords = 1 << 23;

    // Spans shorter than this take the byte-lane loop (no setup cost); longer ones the vector kernels.
    private const int KernelMinBytes = 64;

    private readonly ulong p0, p1, p2, p3;

    private FitsChecksum(ulong p0, ulong p1, ulong p2, ulong p3) => (this.p0, this.p1, this.p2, this.p3) = (p0, p1, p2, p3);

    /// <summary>The sum of nothing (and of any run of zero bytes).</summary>
    public static FitsChecksum Zero => default;

    /// <summary>The folded 32-bit ones'-complement sum (what DATASUM records).</summary>
    public uint Value
    {
        get
        {
            // hi/lo 16-bit halves of the big-endian words, then end-around carry as cfitsio does.
            ulong hi = checked(256 * p0 + p1), lo = checked(256 * p2 + p3);
            ulong hicarry = hi >> 16, locarry = lo >> 16;
            while (hicarry != 0 || locarry != 0)
            {
                hi = (hi & 0xFFFF) + locarry;
                lo = (lo & 0xFFFF) + hicarry;
                hicarry = hi >> 16;
                locarry = lo >> 16;
            }
            return (uint)((hi << 16) + lo);
        }
    }

    /// <summary>
    /// A sum whose <see cref="Value"/> is <paramref name="value"/>: rebuilds a part that was folded and
    /// sent elsewhere (a tile's sum of its rows), to be combined with other parts.
    /// </summary>
    /// <remarks>Exact only for parts that start at a multiple of 4 bytes (whole 32-bit words), such as image rows.</remarks>
    public static FitsChecksum FromValue(uint value) => new(value >> 24, (value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF);

    /// <summary>The sum of two parts of the same unit (each added at its own offset).</summary>
    public static FitsChecksum Combine(FitsChecksum a, FitsChecksum b) => new(a.p0 + b.p0, a.p1 + b.p1, a.p2 + b.p2, a.p3 + b.p3);

    /// <inheritdoc cref="Combine"/>
    public static FitsChecksum operator +(FitsChecksum a, FitsChecksum b) => Combine(a, b);

    /// <summary>
    /// Adds <paramref name="bytes"/>, which sit at byte <paramref name="offset"/> of the unit being
    /// summed (the offset only matters mod 4; a data unit starts at a block boundary, so the offset
    /// within the data unit and within the file are equivalent).
    /// </summary>
    public FitsChecksum Add(ReadOnlySpan<byte> bytes, long offset = 0)
    {
        if ((offset & 1) != 0 || bytes.Length < KernelMinBytes) return AddPermuted(bytes, offset, 0, 1, 2, 3);
        int words = bytes.Length & ~3;
        ChecksumKernels.SumBigEndianHalves(bytes[..words], out ulong low, out ulong high);
        return WithHalves(offset, high, low).AddPermuted(bytes[words..], offset + words, 0, 1, 2, 3);
    }

    /// <summary>
    /// Adds <paramref name="bigEndian"/> (FITS data as stored, at byte <paramref name="offset"/> of the
    /// unit) and converts it in place to native <paramref name="elementSize"/>-byte values, in one pass
    /// over the memory (the reader's path: the bytes are summed while they are swapped).
    /// </summary>
    /// <exception cref="ArgumentException">The element size is not 1, 2, 4 or 8, or the length is not a multiple of it.</exception>
    public FitsChecksum AddSwapping(Span<byte> bigEndian, int elementSize, long offset)
    {
        if (elementSize is not (1 or 2 or 4 or 8) || bigEndian.Length % elementSize != 0)
            throw new ArgumentException($"{bigEndian.Length} bytes are not whole elements of {elementSize} bytes (1, 2, 4 or 8).", nameof(elementSize));
        if (elementSize == 1 || !BitConverter.IsLittleEndian) return Add(bigEndian, offset);
        if ((offset & 1) != 0 || bigEndian.Length < KernelMinBytes)
        {
            var sum = Add(bigEndian, offset);
            FitsPixels.SwapInPlace(bigEndian, elementSize);
            return sum;
        }
        int words = bigEndian.Length & ~3; // a multiple of the element size too (the tail is one 2-byte element)
        var tail = bigEndian[words..];
        var result = AddPermuted(tail, offset + words, 0, 1, 2, 3);
        FitsPixels.SwapInPlace(tail, elementSize);
        ChecksumKernels.SwapAndSumHalves(bigEndian[..words], elementSize, out ulong low, out ulong high);
        // After the swap each native word holds two big-endian 16-bit halves: for 4- and 8-byte values
        // the word's high half is the FITS word's high half; for 2-byte values the first (low) one is.
        return elementSize == 2 ? result.WithHalves(offset, low, high) : result.WithHalves(offset, high, low);
    }

    /// <summary>
    /// Adds the big-endian encoding of <paramref name="values"/> (as FITS stores them) without
    /// materialising it: <paramref name="byteOffset"/> is where the first value's bytes sit in the
    /// unit. Supported element sizes: 1, 2, 4, 8 bytes.
    /// </summary>
    public FitsChecksum AddBigEndian<T>(ReadOnlySpan<T> values, long byteOffset)
    {
        var bytes = PixelBytes.Of(values);
        if (!BitConverter.IsLittleEndian) return Add(bytes, byteOffset);
        int size = Unsafe.SizeOf<T>();
        if (size is 2 or 4 or 8 && (byteOffset & 1) == 0 && bytes.Length >= KernelMinBytes)
        {
            int words = bytes.Length & ~3;
            ChecksumKernels.SumHalves(MemoryMarshal.Cast<byte, uint>(bytes[..words]), out ulong low, out ulong high);
            var sum = size == 2 ? WithHalves(byteOffset, low, high) : WithHalves(byteOffset, high, low);
            return words == bytes.Length ? sum : sum.AddPermuted(bytes[words..], byteOffset + words, 1, 0, 3, 2);
        }
        return size switch
        {
            1 => AddPermuted(bytes, byteOffset, 0, 1, 2, 3),
            2 => AddPermuted(bytes, byteOffset, 1, 0, 3, 2),
            4 or 8 => AddPermuted(bytes, byteOffset, 3, 2, 1, 0),
            int s => throw new ArgumentException($"Element size {s} is not 1, 2, 4 or 8 bytes.", nameof(values)),
        };
    }

    /// <summary>
    /// Adds Σ of the high and low 16-bit halves of whole 32-bit words that start at <paramref name="offset"/>
    /// (even): at offset ≡ 2 (mod 4) every memory word straddles two FITS words, so the halves trade places.
    /// </summary>
    /// <remarks>The four position sums only matter through 256·p0 + p1 and 256·p2 + p3, so a half sum goes to p1 or p3 whole.</remarks>
    private FitsChecksum WithHalves(long offset, ulong high, ulong low) =>
        (offset & 3) == 0 ? new FitsChecksum(p0, p1 + high, p2, p3 + low) : new FitsChecksum(p0, p1 + low, p2, p3 + high);

    /// <summary>
    /// Native memory byte k of each 4-byte group lands at big-endian position (offset + perm[k]) mod 4.
    /// </summary>
    private FitsChecksum AddPermuted(ReadOnlySpan<byte> bytes, long offset, int m0, int m1, int m2, int m3)
    {
        LaneSums(bytes, out ulong l0, out ulong l1, out ulong l2, out ulong l3);
        Span<ulong> pos = stackalloc ulong[4];
        int o = (int)(offset & 3);
        pos[(o + m0) & 3] += l0;
        pos[(o + m1) & 3] += l1;
        pos[(o + m2) & 3] += l2;
        pos[(o + m3) & 3] += l3;
        return new FitsChecksum(p0 + pos[0], p1 + pos[1], p2 + pos[2], p3 + pos[3]);
    }

    /// <summary>Sums of the bytes at memory index ≡ 0, 1, 2, 3 (mod 4) from the start of the span.</summary>
    /// <remarks>Precompiled (ReadyToRun, x86-64-v3) rather than <c>AggressiveOptimization</c>, which crossgen2 never
    /// precompiles: a fresh <c>imred</c> reads with it at once (see <see cref="ChecksumKernels"/>).</remarks>
    private static void LaneSums(ReadOnlySpan<byte> bytes, out ulong l0, out ulong l1, out ulong l2, out ulong l3)
    {
        l0 = l1 = l2 = l3 = 0;
        int i = 0;
        if (Vector.IsHardwareAccelerated && bytes.Length >= Vector<byte>.Count)
        {
            var words = MemoryMarshal.Cast<byte, uint>(bytes);
            int vecWords = words.Length - words.Length % Vector<uint>.Count;
            var mask = new Vector<uint>(0xFF);
            int w = 0;
            while (w < vecWords)
            {
                int end = Math.Min(vecWords, w + FlushWords);
                Vector<uint> a0 = default, a1 = default, a2 = default, a3 = default;
                for (; w < end; w += Vector<uint>.Count)
                {
                    var v = new Vector<uint>(words.Slice(w));
                    a0 += v & mask;
                    a1 += (v >> 8) & mask;
                    a2 += (v >> 16) & mask;
                    a3 += v >> 24;
                }
                l0 += HorizontalSum(a0); l1 += HorizontalSum(a1); l2 += HorizontalSum(a2); l3 += HorizontalSum(a3);
            }
            i = vecWords * 4;
        }
        for (; i + 4 <= bytes.Length; i += 4)
        {
            l0 += bytes[i]; l1 += bytes[i + 1]; l2 += bytes[i + 2]; l3 += bytes[i + 3];
        }
        for (int k = 0; i < bytes.Length; i++, k++)
        {
            switch (k) { case 0: l0 += bytes[i]; break; case 1: l1 += bytes[i]; break; default: l2 += bytes[i]; break; }
        }
    }

    private static ulong HorizontalSum(Vector<uint> v)
    {
        ulong s = 0;
        for (int k = 0; k < Vector<uint>.Count; k++) s += v[k];
        return s;
    }

    /// <summary>
    /// The 16-character ASCII encoding of a 32-bit sum used by the CHECKSUM card (cfitsio's
    /// <c>ffesum</c>); <paramref name="complement"/> encodes <c>~sum</c>, which is what makes the HDU
    /// sum to −0.
    /// </summary>
    public static string Encode(uint sum, bool complement = true)
    {
        ReadOnlySpan<byte> exclude = [0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x40, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x60];
        uint value = complement ? 0xFFFFFFFF - sum : sum;
        Span<char> asc = stackalloc char[16];
        Span<int> ch = stackalloc int[4];
        for (int ii = 0; ii < 4; ii++)
        {
            int b = (int)((value >> (24 - 8 * ii)) & 0xFF);
            int quotient = b / 4 + 0x30, remainder = b % 4;
            ch.Fill(quotient);
            ch[0] += remainder;
            bool again = true;
            while (again)
            {
                again = false;
                foreach (byte ex in exclude)
                    for (int jj = 0; jj < 4; jj += 2)
                        if ((byte)ch[jj] == ex || (byte)ch[jj + 1] == ex)
                        {
                            ch[jj]++;
                            ch[jj + 1]--;
                            again = true;
                        }
            }
            for (int jj = 0; jj < 4; jj++) asc[4 * jj + ii] = (char)ch[jj];
        }
        Span<char> result = stackalloc char[16];
        for (int ii = 0; ii < 16; ii++) result[ii] = asc[(ii + 15) % 16]; // rotate one to the right
        return new string(result);
    }

    public bool Equals(FitsChecksum other) => Value == other.Value;
    public override bool Equals(object? obj) => obj is FitsChecksum c && Equals(c);
    public override int GetHashCode() => (int)Value;
    public static bool operator ==(FitsChecksum a, FitsChecksum b) => a.Equals(b);
    public static bool operator !=(FitsChecksum a, FitsChecksum b) => !a.Equals(b);
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
