using ImageReducer.Engine.Reducing;

namespace ImageReducer.Engine.Tests.Reducing;

/// <summary>
/// The output image and variance planes are not initialised: whatever they hold before the fold
/// must not show in the result. Each case folds the same contributions into planes pre-filled with
/// the reference's start value and into planes full of junk, and compares bit for bit.
/// </summary>
public class StitchRowsTests
{
    private const int Width = 21; // vector lanes plus a scalar tail

    private static readonly float[] Junk = [float.NaN, -0f, 123.5f, float.NegativeInfinity, -7f, 1e-42f];

    private sealed record Outcome(int[] Image, int[] Variance, int[] Mask, RowTally Tally);

    private static Outcome Run(bool overwrite, bool divide, float start, float empty, float[] initial, int seed)
    {
        var image = (float[])initial.Clone();
        var variance = (float[])initial.Clone();
        var mask = new int[Width];
        var counts = new byte[Width];
        var rng = new Random(seed);
        for (int r = 0; r < 4; r++)
        {
            // Each contribution covers a sub-range, so some pixels stay uncovered.
            int from = rng.Next(0, 6), length = rng.Next(10, Width - from + 1);
            var img = new float[length];
            var vr = new float[length];
            var m = new int[length];
            for (int i = 0; i < length; i++)
            {
                img[i] = rng.Next(6) switch { 0 => float.NaN, 1 => -0f, _ => (float)(rng.NextDouble() - 0.5) };
                vr[i] = rng.Next(7) == 0 ? -0f : (float)rng.NextDouble();
                m[i] = rng.Next(3) == 0 ? 1 << rng.Next(4) : 0;
            }
            var oi = image.AsSpan(from, length);
            var ov = variance.AsSpan(from, length);
            var om = mask.AsSpan(from, length);
            var oc = counts.AsSpan(from, length);
            if (overwrite) StitchRows.Overwrite(oi, ov, om, oc, img, vr, m);
            else StitchRows.Accumulate(oi, ov, om, oc, img, vr, m);
        }
        var tally = RowTally.Empty;
        StitchRows.Finish<byte>(image, variance, mask, new int[Width], counts, 0x100, divide, start, empty, ref tally);
        return new Outcome(image.Select(BitConverter.SingleToInt32Bits).ToArray(), variance.Select(BitConverter.SingleToInt32Bits).ToArray(), mask, tally);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Fold_UninitialisedOutput_SameBitsAsStartValue(int seed)
    {
        float nan = StitchRows.QuietNaN;
        var cases = new (bool Overwrite, bool Divide, float Start, float Empty)[]
        {
            (true, false, nan, nan), // copy
            (false, false, 0f, 0f),  // sum
            (false, true, 0f, nan),  // average
        };
        foreach (var (overwrite, divide, start, empty) in cases)
        {
            var clean = Run(overwrite, divide, start, empty, Enumerable.Repeat(start, Width).ToArray(), seed);
            var junk = Run(overwrite, divide, start, empty, Enumerable.Range(0, Width).Select(i => Junk[i % Junk.Length]).ToArray(), seed);
            Assert.Equal(clean.Image, junk.Image);
            Assert.Equal(clean.Variance, junk.Variance);
            Assert.Equal(clean.Mask, junk.Mask);
            Assert.Equal(clean.Tally, junk.Tally);
        }
    }

    [Fact]
    public void Accumulate_FirstValueMinusZero_GivesPlusZero_AsZeroPlusIt()
    {
        // 0f + -0f is +0f: storing the first contribution as is would leave -0.
        var image = Enumerable.Repeat(-5f, Width).ToArray();
        var variance = Enumerable.Repeat(-5f, Width).ToArray();
        var counts = new byte[Width];
        StitchRows.Accumulate(image, variance, new int[Width], counts, Enumerable.Repeat(-0f, Width).ToArray(), Enumerable.Repeat(1f, Width).ToArray(), new int[Width]);
        Assert.All(image, v => Assert.Equal(0, BitConverter.SingleToInt32Bits(v)));
        Assert.All(counts, c => Assert.Equal(1, c));
    }

    [Fact]
    public void FinishInto_Average_SameBitsAsFloat64DivisionNarrowedToFloat32()
    {
        // The vector pass divides in float32 (and skips all-one counts); the reference divides in
        // float64 and narrows. Random bit patterns (normal, subnormal, infinite, quiet NaN) and counts
        // 1..300 or powers of two must give the same bits as the scalar (float)((double)x / c), exactly.
        var rng = new Random(31);
        const int n = 8 * 4096 + 5;
        var image = new float[n];
        var variance = new float[n];
        var counts = new int[n];
        for (int i = 0; i < n; i++)
        {
            int exponent = rng.Next(8) switch { 0 => 0, 1 => 255, _ => rng.Next(1, 255) };
            int bits = (rng.Next(2) << 31) | (exponent << 23) | rng.Next(1 << 23);
            if (exponent == 255) bits = rng.Next(2) == 0 ? (bits & unchecked((int)0x80000000)) | 0x7F800000 : 0x7FC00000 | (bits & 0x3FFFFF);
            image[i] = BitConverter.Int32BitsToSingle(bits);
            variance[i] = (float)rng.NextDouble() * 4;
            // Whole vectors of ones now and then, to take the skipping branch, and of powers of two
            // (2^0..2^24), to take the multiplying one.
            counts[i] = ((i / 8) % 5) switch { 0 => 1, 1 or 2 => 1 << rng.Next(0, 25), _ => rng.Next(1, 301) };
        }
        var outImage = new float[n];
        var outVariance = new float[n];
        var outMask = new int[n];
        var tally = RowTally.Empty;
        StitchRows.FinishInto<int>(image, variance, new int[n], new int[n], counts, outImage, outVariance, outMask, 0x100, divide: true,
            start: 0f, empty: StitchRows.QuietNaN, ref tally);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits((float)((double)image[i] / counts[i])), BitConverter.SingleToInt32Bits(outImage[i]));
            Assert.Equal(BitConverter.SingleToInt32Bits((float)((double)variance[i] / counts[i])), BitConverter.SingleToInt32Bits(outVariance[i]));
        }
        Assert.Equal(n, tally.Pixels);
        Assert.Equal(counts.Sum(c => (long)c), tally.CountSum);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void FinishInto_SeparateTarget_SameBitsAsFinishInPlace(bool overwrite, bool divide)
    {
        float start = overwrite ? StitchRows.QuietNaN : 0f, empty = divide || overwrite ? StitchRows.QuietNaN : 0f;
        for (int seed = 1; seed <= 4; seed++)
        {
            var inPlace = Run(overwrite, divide, start, empty, Enumerable.Repeat(start, Width).ToArray(), seed);
            var image = new float[Width];
            var variance = new float[Width];
            var mask = new int[Width];
            var counts = new byte[Width];
            var rng = new Random(seed);
            for (int r = 0; r < 4; r++)
            {
                int from = rng.Next(0, 6), length = rng.Next(10, Width - from + 1);
                var img = new float[length];
                var vr = new float[length];
                var m = new int[length];
                for (int i = 0; i < length; i++)
                {
                    img[i] = rng.Next(6) switch { 0 => float.NaN, 1 => -0f, _ => (float)(rng.NextDouble() - 0.5) };
                    vr[i] = rng.Next(7) == 0 ? -0f : (float)rng.NextDouble();
                    m[i] = rng.Next(3) == 0 ? 1 << rng.Next(4) : 0;
                }
                if (overwrite) StitchRows.Overwrite(image.AsSpan(from, length), variance.AsSpan(from, length), mask.AsSpan(from, length), counts.AsSpan(from, length), img, vr, m);
                else StitchRows.Accumulate(image.AsSpan(from, length), variance.AsSpan(from, length), mask.AsSpan(from, length), counts.AsSpan(from, length), img, vr, m);
            }
            // Every offset of the target: the pass aligns its vector stores with a few scalar pixels first.
            for (int offset = 0; offset < 8; offset++)
            {
                var outImage = Enumerable.Repeat(123f, Width + offset).ToArray();
                var outVariance = Enumerable.Repeat(-9f, Width + offset).ToArray();
                var outMask = Enumerable.Repeat(0x40, Width + offset).ToArray();
                var tally = RowTally.Empty;
                StitchRows.FinishInto<byte>(image, variance, mask, new int[Width], counts, outImage.AsSpan(offset), outVariance.AsSpan(offset),
                    outMask.AsSpan(offset), 0x100, divide, start, empty, ref tally);
                Assert.Equal(inPlace.Image, outImage[offset..].Select(BitConverter.SingleToInt32Bits).ToArray());
                Assert.Equal(inPlace.Variance, outVariance[offset..].Select(BitConverter.SingleToInt32Bits).ToArray());
                Assert.Equal(inPlace.Mask, outMask[offset..]);
                Assert.Equal(inPlace.Tally, tally);
            }
        }
    }

    /// <summary>
    /// The block fold (one call per result, a row's last partial vector overlapping the one before)
    /// against the row folds, for every width up to a few vectors: counts and masks bit for bit
    /// everywhere, image and variance bit for bit wherever the count is not zero (a zero-count
    /// lane's value is never read, see <see cref="StitchRows.Accumulate"/>).
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FoldBlock_AnyWidth_SameBitsAsRowFolds(bool overwrite)
    {
        const int Stride = 53, Rows = 5, SourceStride = 61;
        var rng = new Random(overwrite ? 11 : 12);
        for (int width = 1; width <= 40; width++)
        {
            var blockImage = new float[Stride * Rows];
            var blockVariance = new float[Stride * Rows];
            for (int i = 0; i < blockImage.Length; i++) blockImage[i] = blockVariance[i] = Junk[rng.Next(Junk.Length)];
            var rowImage = (float[])blockImage.Clone();
            var rowVariance = (float[])blockVariance.Clone();
            var blockMask = new int[Stride * Rows];
            var rowMask = new int[Stride * Rows];
            var blockCounts = new byte[Stride * Rows];
            var rowCounts = new byte[Stride * Rows];
            for (int contribution = 0; contribution < 4; contribution++)
            {
                var img = new float[SourceStride * Rows];
                var vr = new float[SourceStride * Rows];
                var m = new int[SourceStride * Rows];
                for (int i = 0; i < img.Length; i++)
                {
                    img[i] = rng.Next(6) switch { 0 => float.NaN, 1 => -0f, _ => (float)(rng.NextDouble() - 0.5) };
                    vr[i] = rng.Next(7) == 0 ? -0f : (float)rng.NextDouble();
                    m[i] = rng.Next(3) == 0 ? 1 << rng.Next(4) : 0;
                }
                int x = rng.Next(0, Stride - width + 1), sx = rng.Next(0, SourceStride - width + 1);
                int y = rng.Next(0, 2), rows = rng.Next(1, Rows - y + 1);
                int at = y * Stride + x;
                StitchRows.FoldBlock(overwrite, ref blockImage[at], ref blockVariance[at], ref blockMask[at], ref blockCounts[at], Stride,
                    ref img[sx], SourceStride, ref vr[sx], SourceStride, ref m[sx], SourceStride, width, rows);
                for (int r = 0; r < rows; r++)
                {
                    int t = at + r * Stride, s = sx + r * SourceStride;
                    if (overwrite)
                        StitchRows.Overwrite(rowImage.AsSpan(t, width), rowVariance.AsSpan(t, width), rowMask.AsSpan(t, width), rowCounts.AsSpan(t, width),
                            img.AsSpan(s, width), vr.AsSpan(s, width), m.AsSpan(s, width));
                    else
                        StitchRows.Accumulate(rowImage.AsSpan(t, width), rowVariance.AsSpan(t, width), rowMask.AsSpan(t, width), rowCounts.AsSpan(t, width),
                            img.AsSpan(s, width), vr.AsSpan(s, width), m.AsSpan(s, width));
                }
            }
            Assert.Equal(rowCounts, blockCounts);
            Assert.Equal(rowMask, blockMask);
            for (int i = 0; i < rowCounts.Length; i++)
            {
                if (rowCounts[i] == 0) continue;
                Assert.Equal(BitConverter.SingleToInt32Bits(rowImage[i]), BitConverter.SingleToInt32Bits(blockImage[i]));
                Assert.Equal(BitConverter.SingleToInt32Bits(rowVariance[i]), BitConverter.SingleToInt32Bits(blockVariance[i]));
            }
        }
    }
}
