using ImageReducer.Engine.Fits;

namespace ImageReducer.Engine.Tests.FitsTests;

public class FitsChecksumTests
{
    private static byte[] Sequence(int n) => Enumerable.Range(0, n).Select(i => (byte)(i % 256)).ToArray();

    [Fact]
    public void Value_OfSequenceBlock_MatchesAstropy()
    {
        // astropy _compute_checksum(np.arange(2880) % 256 as uint8) = 3230885421
        Assert.Equal(3230885421u, FitsChecksum.Zero.Add(Sequence(2880)).Value);
    }

    [Fact]
    public void Value_OfAllOnes_IsNegativeZero()
    {
        Assert.Equal(0xFFFFFFFFu, FitsChecksum.Zero.Add(Enumerable.Repeat((byte)0xFF, 2880).ToArray()).Value);
    }

    [Fact]
    public void Value_OfZeros_IsZero()
    {
        Assert.Equal(0u, FitsChecksum.Zero.Add(new byte[2880]).Value);
    }

    [Theory]
    [InlineData(0u, false, "0000000000000000")]
    [InlineData(0u, true, "orrrrooooooooooo")]
    [InlineData(1234567890u, false, "dCW2fBU0dBU0dBU0")]
    [InlineData(1234567890u, true, "5bKpAZJo6aJoAYJo")]
    [InlineData(2937043916u, false, "ca6ecX3Zca3bcU3Z")]
    public void Encode_KnownSums_MatchAstropy(uint sum, bool complement, string expected)
    {
        Assert.Equal(expected, FitsChecksum.Encode(sum, complement));
    }

    [Fact]
    public void Combine_OfUnalignedParts_EqualsWholeSum()
    {
        var bytes = Sequence(10_007);
        var whole = FitsChecksum.Zero.Add(bytes);
        foreach (int cut in new[] { 1, 2, 3, 4, 5, 4999, 10_006 })
        {
            var a = FitsChecksum.Zero.Add(bytes.AsSpan(0, cut), 0);
            var b = FitsChecksum.Zero.Add(bytes.AsSpan(cut), cut);
            Assert.Equal(whole.Value, (a + b).Value);
        }
    }

    [Fact]
    public void Combine_IsOrderIndependent()
    {
        var bytes = Sequence(4096);
        var parts = Enumerable.Range(0, 8).Select(k => FitsChecksum.Zero.Add(bytes.AsSpan(k * 512, 512), k * 512)).ToArray();
        var forward = parts.Aggregate(FitsChecksum.Zero, (s, p) => s + p);
        var backward = parts.Reverse().Aggregate(FitsChecksum.Zero, (s, p) => s + p);
        Assert.Equal(FitsChecksum.Zero.Add(bytes).Value, forward.Value);
        Assert.Equal(forward.Value, backward.Value);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void AddBigEndian_EqualsSumOfSwappedBytes(int size)
    {
        var rnd = new Random(5);
        var native = new byte[size * 1001];
        rnd.NextBytes(native);
        var bigEndian = (byte[])native.Clone();
        for (int i = 0; i < bigEndian.Length; i += size) Array.Reverse(bigEndian, i, size);
        var expected = FitsChecksum.Zero.Add(bigEndian.AsSpan(6), 6).Value;
        var actual = size switch
        {
            1 => FitsChecksum.Zero.AddBigEndian<byte>(native.AsSpan(6), 6),
            2 => FitsChecksum.Zero.AddBigEndian<short>(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(native.AsSpan(6)), 6),
            4 => FitsChecksum.Zero.AddBigEndian<int>(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(native.AsSpan(8)), 8),
            _ => FitsChecksum.Zero.AddBigEndian<long>(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(native.AsSpan(8)), 8),
        };
        if (size >= 4) expected = FitsChecksum.Zero.Add(bigEndian.AsSpan(8), 8).Value;
        Assert.Equal(expected, actual.Value);
    }

    [Fact]
    public void Add_LargeBuffer_MatchesScalarReference()
    {
        // Crosses the vector path's flush interval; compared with a plain cfitsio-style loop.
        var rnd = new Random(11);
        var bytes = new byte[(1 << 23) * 4 + 12];
        rnd.NextBytes(bytes);
        ulong hi = 0, lo = 0;
        for (int i = 0; i < bytes.Length; i += 4)
        {
            hi += (ulong)(bytes[i] << 8 | bytes[i + 1]);
            lo += (ulong)(bytes[i + 2] << 8 | bytes[i + 3]);
        }
        ulong hc = hi >> 16, lc = lo >> 16;
        while (hc != 0 || lc != 0) { hi = (hi & 0xFFFF) + lc; lo = (lo & 0xFFFF) + hc; hc = hi >> 16; lc = lo >> 16; }
        Assert.Equal((uint)((hi << 16) + lo), FitsChecksum.Zero.Add(bytes).Value);
    }
}
