using System.Numerics;
using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Tests.FitsTests;

public class FitsRoundTripTests
{
    private static Image<T> Pattern<T>(int w, int h, Func<int, int, T> f) where T : unmanaged
    {
        var img = new Image<T>(w, h);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img[x, y] = f(x, y);
        return img;
    }

    private static byte[] WriteOne<T>(Image<T> img, IEnumerable<FitsCard>? cards = null) where T : unmanaged
    {
        var ms = new MemoryStream();
        using (var w = new FitsWriter(ms, leaveOpen: true)) w.WriteImage(img, cards);
        return ms.ToArray();
    }

    private static void AssertRoundTrip<T>(Func<int, int, T> f) where T : unmanaged, INumberBase<T>
    {
        using var img = Pattern(37, 23, f);
        var bytes = WriteOne(img);
        Assert.Equal(0, bytes.Length % 2880);
        using var r = new FitsReader(new MemoryStream(bytes));
        Assert.Equal(FitsPixelsBitpix<T>(), r.Hdus[0].Bitpix);
        using var back = r.ReadImage<T>(r.Hdus[0]);
        Assert.Equal(img.ToArray(), back.ToArray()); // bit-exact: no conversion on either side
    }

    private static int FitsPixelsBitpix<T>() => typeof(T) == typeof(byte) ? 8 : typeof(T) == typeof(short) ? 16 : typeof(T) == typeof(int) ? 32
        : typeof(T) == typeof(long) ? 64 : typeof(T) == typeof(float) ? -32 : -64;

    [Fact] public void Write_Bitpix8_RoundTrips() => AssertRoundTrip<byte>((x, y) => (byte)(x * 7 + y));
    [Fact] public void Write_Bitpix16_RoundTrips() => AssertRoundTrip<short>((x, y) => (short)(x * 1000 - y * 977));
    [Fact] public void Write_Bitpix32_RoundTrips() => AssertRoundTrip<int>((x, y) => x * 100_000_007 - y);
    [Fact] public void Write_Bitpix64_RoundTrips() => AssertRoundTrip<long>((x, y) => (long)x << 40 | (uint)y);
    [Fact] public void Write_BitpixMinus32_RoundTrips() => AssertRoundTrip<float>((x, y) => x == 3 ? float.NaN : x * 0.1f - y * 1e-30f);
    [Fact] public void Write_BitpixMinus64_RoundTrips() => AssertRoundTrip<double>((x, y) => y == 2 ? double.NegativeInfinity : Math.PI * x - y);

    [Fact]
    public void ReadImage_Region_ReturnsThatSubRectangle()
    {
        using var img = Pattern(50, 40, (x, y) => (float)(x + 1000 * y));
        using var r = new FitsReader(new MemoryStream(WriteOne(img)));
        var region = new Box(7, 11, 13, 5);
        using var sub = r.ReadImage<float>(r.Hdus[0], region);
        Assert.Equal(region, sub.Box);
        for (int y = region.MinY; y <= region.MaxY; y++)
            for (int x = region.MinX; x <= region.MaxX; x++)
                Assert.Equal(x + 1000f * y, sub[x, y]);
    }

    [Fact]
    public void ReadImage_Region_ReadsOnlyTheNeededRows()
    {
        using var img = Pattern(100, 100, (x, y) => (float)x);
        var stream = new CountingStream(WriteOne(img));
        using var r = new FitsReader(stream, leaveOpen: true);
        long before = stream.BytesRead;
        using var _ = r.ReadImage<float>(r.Hdus[0], new Box(10, 20, 5, 3));
        Assert.Equal(3 * 5 * 4, stream.BytesRead - before); // 3 rows × 5 columns × 4 bytes, nothing more
    }

    [Fact]
    public void ReadImage_ScaledInt16_AppliesBzeroAndBscale()
    {
        using var raw = Pattern(4, 3, (x, y) => (short)(x - 2 + 10 * y));
        var bytes = WriteOne(raw, [FitsCard.Create("BZERO", 32768L), FitsCard.Create("BSCALE", 0.5)]);
        using var r = new FitsReader(new MemoryStream(bytes));
        using var f = r.ReadImage<float>(r.Hdus[0]);
        Assert.Equal(32768 + 0.5f * (1 - 2 + 10 * 2), f[1, 2]); // exact in float: small integers and halves
        using var i = r.ReadImage<int>(r.Hdus[0]);
        Assert.Equal((int)Math.Round(32768 + 0.5 * (1 - 2 + 10 * 2)), i[1, 2]);
    }

    [Fact]
    public void ReadImage_BlankInt_BecomesNaNForFloat()
    {
        using var raw = Pattern(3, 1, (x, y) => x == 1 ? -999 : x);
        using var r = new FitsReader(new MemoryStream(WriteOne(raw, [FitsCard.Create("BLANK", -999L)])));
        using var f = r.ReadImage<float>(r.Hdus[0]);
        Assert.True(float.IsNaN(f[1, 0]));
        Assert.Equal(2f, f[2, 0]);
    }

    [Fact]
    public void Writer_MultipleExtensions_AreFoundByName()
    {
        var ms = new MemoryStream();
        using (var w = new FitsWriter(ms, leaveOpen: true))
        {
            w.WriteEmptyPrimary([FitsCard.Create("ORIGIN", "test")]);
            using var a = Pattern(5, 5, (x, y) => (float)x);
            w.WriteImage(a, [FitsCard.Create("EXTNAME", "A")]);
            var t = new FitsTable([new FitsColumn("N", 'J'), new FitsColumn("S", 'A', 4)], 2);
            t.SetInt64(1, 0, 42);
            t.SetString(1, 1, "ab");
            w.WriteTable(t, [FitsCard.Create("EXTNAME", "T")]);
        }
        using var r = new FitsReader(new MemoryStream(ms.ToArray()));
        Assert.Equal(3, r.Hdus.Count);
        Assert.Equal(FitsHduType.Image, r.Find("A")!.Type);
        var table = r.ReadTable(r.Find("T")!);
        Assert.Equal(42, table.GetInt64(1, 0));
        Assert.Equal("ab", table.GetString(1, 1));
        Assert.Equal("test", r.Hdus[0].Header.GetString("ORIGIN"));
        foreach (var h in r.Hdus) Assert.True(r.VerifyChecksum(h));
    }

    [Fact]
    public void Writer_HeaderFromAReadFile_IsCopiedThroughVerbatim()
    {
        var odd = "ODDCARD = (1.0, 2.0) / complex, not understood".PadRight(80);
        var file = RawFits.Bytes8(2, 2, odd);
        using var r = new FitsReader(new MemoryStream(file));
        using var img = r.ReadImage<byte>(r.Hdus[0]);
        var copy = WriteOne(img, r.Hdus[0].Header);
        using var r2 = new FitsReader(new MemoryStream(copy));
        Assert.Equal(odd, r2.Hdus[0].Header.Find("ODDCARD")!.RawText);
    }

    [Fact]
    public void Writer_SameInput_GivesIdenticalBytes()
    {
        using var img = Pattern(9, 9, (x, y) => (float)(x * y));
        Assert.Equal(WriteOne(img), WriteOne(img));
    }

    [Fact]
    public void Reader_SkipsDataWithSeek_ReadsOnlyHeadersWhenOpening()
    {
        using var img = Pattern(200, 200, (x, y) => (float)x);
        var ms = new MemoryStream();
        using (var w = new FitsWriter(ms, leaveOpen: true)) { w.WriteImage(img); w.WriteImage(img); }
        var stream = new CountingStream(ms.ToArray());
        using var r = new FitsReader(stream, leaveOpen: true);
        Assert.Equal(2, r.Hdus.Count);
        Assert.True(stream.BytesRead < 4 * 2880, $"opening read {stream.BytesRead} bytes; only headers should be read");
    }
}

/// <summary>A read-only seekable stream over bytes that counts bytes read and can claim a false length.</summary>
internal sealed class CountingStream(byte[] bytes, long? claimedLength = null) : Stream
{
    private long pos;
    public long BytesRead { get; private set; }
    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => claimedLength ?? bytes.Length;
    public override long Position { get => pos; set => pos = value; }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
    public override int Read(Span<byte> buffer)
    {
        if (pos >= bytes.Length) return 0;
        int n = (int)Math.Min(buffer.Length, bytes.Length - pos);
        bytes.AsSpan((int)pos, n).CopyTo(buffer);
        pos += n;
        BytesRead += n;
        return n;
    }
    public override long Seek(long offset, SeekOrigin origin) => pos = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => pos + offset,
        _ => Length + offset,
    };
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
