using System.Runtime.InteropServices;
using ImageReducer.Engine.Fits;

namespace ImageReducer.Engine.Tests.FitsTests;

/// <summary>The vectorised checksum paths (raw bytes, native values, fused swap) against a byte-at-a-time reference.</summary>
public class ChecksumKernelTests
{
    // Longer than one flush block of the 32-bit lane sums (65 534 vectors of 32 bytes) plus an odd tail.
    private const int BeyondFlush = 65534 * 32 * 2 + 4 * 37 + 3;

    /// <summary>cfitsio's definition, one byte at a time: positions 0/1 are the high 16-bit half of a word, 2/3 the low half.</summary>
    private static uint Reference(ReadOnlySpan<byte> bytes, long offset)
    {
        ulong hi = 0, lo = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            switch ((offset + i) & 3)
            {
                case 0: hi += (ulong)bytes[i] << 8; break;
                case 1: hi += bytes[i]; break;
                case 2: lo += (ulong)bytes[i] << 8; break;
                default: lo += bytes[i]; break;
            }
        }
        while ((hi >> 16) != 0 || (lo >> 16) != 0)
        {
            ulong hc = hi >> 16, lc = lo >> 16;
            hi = (hi & 0xFFFF) + lc;
            lo = (lo & 0xFFFF) + hc;
        }
        return (uint)((hi << 16) + lo);
    }

    private static byte[] Data(int n, int seed, bool allOnes)
    {
        var b = new byte[n];
        if (allOnes) b.AsSpan().Fill(0xFF);
        else new Random(seed).NextBytes(b);
        return b;
    }

    public static TheoryData<int, bool> Lengths() => new()
    {
        { 0, false }, { 1, false }, { 3, false }, { 63, false }, { 64, false }, { 65, false }, { 127, false },
        { 1000, false }, { 4099, false }, { BeyondFlush, false }, { BeyondFlush, true },
    };

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Add_OfRawBytes_MatchesTheByteReference_AtEveryOffset(int length, bool allOnes)
    {
        var bytes = Data(length, length, allOnes);
        for (long offset = 0; offset < 8; offset++)
            Assert.Equal(Reference(bytes, offset), FitsChecksum.Zero.Add(bytes, offset).Value);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(4, false)]
    [InlineData(8, false)]
    [InlineData(2, true)]
    [InlineData(4, true)]
    [InlineData(8, true)]
    public void AddSwapping_SumsTheStoredBytes_AndLeavesNativeValues(int elementSize, bool allOnes)
    {
        foreach (int elements in new[] { 1, 7, 33, 1001, BeyondFlush / elementSize })
        {
            var stored = Data(elements * elementSize, elements, allOnes);
            foreach (long offset in new long[] { 0, elementSize, 2 * elementSize, 2880 })
            {
                var buffer = (byte[])stored.Clone();
                uint sum = FitsChecksum.Zero.AddSwapping(buffer, elementSize, offset).Value;
                Assert.Equal(Reference(stored, offset), sum);
                var expected = (byte[])stored.Clone();
                for (int i = 0; i < expected.Length; i += elementSize) Array.Reverse(expected, i, elementSize);
                Assert.Equal(expected, buffer);
            }
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void AddBigEndian_OfNativeValues_MatchesTheReferenceOfTheirEncoding(int elementSize)
    {
        foreach (bool allOnes in new[] { false, true })
        foreach (int elements in new[] { 5, 17, 1001, BeyondFlush / elementSize })
        {
            var native = Data(elements * elementSize, elements + 1, allOnes);
            var encoded = (byte[])native.Clone();
            for (int i = 0; i < encoded.Length; i += elementSize) Array.Reverse(encoded, i, elementSize);
            foreach (long offset in new long[] { 0, elementSize, 2 * elementSize })
            {
                uint sum = elementSize switch
                {
                    2 => FitsChecksum.Zero.AddBigEndian<short>(MemoryMarshal.Cast<byte, short>(native), offset).Value,
                    4 => FitsChecksum.Zero.AddBigEndian<float>(MemoryMarshal.Cast<byte, float>(native), offset).Value,
                    _ => FitsChecksum.Zero.AddBigEndian<double>(MemoryMarshal.Cast<byte, double>(native), offset).Value,
                };
                Assert.Equal(Reference(encoded, offset), sum);
            }
        }
    }

    [Fact]
    public void Parts_SummedByDifferentKernels_CombineToTheWhole()
    {
        var stored = Data(1 << 20, 9, allOnes: false);
        uint whole = Reference(stored, 0);
        var copy = (byte[])stored.Clone();
        // A raw part, a swapped part and a native part, at their own offsets, in any order.
        var a = FitsChecksum.Zero.Add(stored.AsSpan(0, 4096), 0);
        var b = FitsChecksum.Zero.AddSwapping(copy.AsSpan(4096, 500_000), 4, 4096);
        var native = copy.AsSpan(504_096).ToArray();
        for (int i = 0; i < native.Length; i += 4) Array.Reverse(native, i, 4);
        var c = FitsChecksum.Zero.AddBigEndian<int>(MemoryMarshal.Cast<byte, int>(native), 504_096);
        Assert.Equal(whole, (c + a + b).Value);
    }
}
