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
}
