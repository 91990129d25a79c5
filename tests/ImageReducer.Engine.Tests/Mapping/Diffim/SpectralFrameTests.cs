using System.Numerics;
using ImageReducer.Engine.Mapping.Spectral;
using MathNet.Numerics.IntegralTransforms;

namespace ImageReducer.Engine.Tests.Mapping.Diffim;

/// <summary>
/// The engine's own mixed-radix FFT (<see cref="FftPlan"/>, <see cref="SpectralFrame"/>) against the DFT's definition
/// and against MathNet's transform, the reference path it replaced in the mappers.
/// </summary>
public class SpectralFrameTests
{
    public static TheoryData<int> Lengths => [1, 2, 3, 4, 5, 7, 8, 12, 16, 17, 29, 37, 58, 64, 74, 96, 98, 131];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void FftPlan_IsTheDftInEveryLaneAndTheInverseUndoesIt(int n)
    {
        const int lanes = FftPlan.LaneMultiple * 2;
        var random = new Random(n);
        double[] re = new double[n * lanes], im = new double[n * lanes];
        for (int i = 0; i < re.Length; i++) (re[i], im[i]) = (random.NextDouble() - 0.5, random.NextDouble() - 0.5);
        double[] re0 = (double[])re.Clone(), im0 = (double[])im.Clone();
        var plan = new FftPlan(n);

        plan.Transform(re, im, new double[re.Length], new double[re.Length], lanes, inverse: false);

        for (int lane = 0; lane < lanes; lane++)
            for (int k = 0; k < n; k++)
            {
                Complex s = 0;
                for (int j = 0; j < n; j++) s += new Complex(re0[j * lanes + lane], im0[j * lanes + lane]) * Complex.FromPolarCoordinates(1, -2 * Math.PI * ((long)j * k % n) / n);
                Complex y = new(re[k * lanes + lane], im[k * lanes + lane]);
                Assert.True((s - y).Magnitude < 1e-13 * n, $"n={n} lane={lane} k={k}: {y} vs {s}");
            }
        plan.Transform(re, im, new double[re.Length], new double[re.Length], lanes, inverse: true);
        for (int i = 0; i < re.Length; i++)
            Assert.True(Math.Abs(re[i] / n - re0[i]) < 1e-14 * n && Math.Abs(im[i] / n - im0[i]) < 1e-14 * n, $"n={n}: round trip at {i}");
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void FftPlan_AgreesWithMathNet(int n)
    {
        const int lanes = FftPlan.LaneMultiple;
        var random = new Random(100 + n);
        var x = new Complex[n];
        for (int i = 0; i < n; i++) x[i] = new Complex(random.NextDouble() * 1000, random.NextDouble() - 0.5);
        double[] re = new double[n * lanes], im = new double[n * lanes];
        for (int i = 0; i < n; i++) (re[i * lanes + 3], im[i * lanes + 3]) = (x[i].Real, x[i].Imaginary);

        new FftPlan(n).Transform(re, im, new double[re.Length], new double[re.Length], lanes, inverse: false);
        Fourier.Forward(x, FourierOptions.Matlab);

        double scale = x.Max(c => c.Magnitude);
        for (int k = 0; k < n; k++)
            Assert.True((x[k] - new Complex(re[k * lanes + 3], im[k * lanes + 3])).Magnitude <= 1e-14 * Math.Max(1, Math.Log2(n)) * scale, $"n={n} k={k}");
    }

    [Fact]
    public void FftPlan_ALaneDoesNotDependOnItsNeighbours()
    {
        // Determinism across vector widths and tilings rests on this: a lane's bits are the same whatever the other lanes hold.
        const int n = 74, lanes = FftPlan.LaneMultiple * 2;
        var random = new Random(5);
        double[] re = new double[n * lanes], im = new double[n * lanes];
        for (int i = 0; i < re.Length; i++) (re[i], im[i]) = (random.NextDouble(), random.NextDouble());
        double[] re2 = (double[])re.Clone(), im2 = (double[])im.Clone();
        for (int j = 0; j < n; j++)
            for (int lane = 0; lane < lanes; lane++)
                if (lane != 5) (re2[j * lanes + lane], im2[j * lanes + lane]) = (double.NaN, 1e300);
        var plan = new FftPlan(n);

        plan.Transform(re, im, new double[re.Length], new double[re.Length], lanes, inverse: false);
        plan.Transform(re2, im2, new double[re.Length], new double[re.Length], lanes, inverse: false);

        for (int j = 0; j < n; j++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(re[j * lanes + 5]), BitConverter.DoubleToInt64Bits(re2[j * lanes + 5]));
            Assert.Equal(BitConverter.DoubleToInt64Bits(im[j * lanes + 5]), BitConverter.DoubleToInt64Bits(im2[j * lanes + 5]));
        }
    }

    [Theory]
    [InlineData(6, 10)]
    [InlineData(74, 74)]
    [InlineData(17, 9)]
    public void Frame_ForwardIsFft2AndInverseUndoesIt(int rows, int cols)
    {
        var random = new Random(rows * cols);
        var a = new Complex[rows, cols];
        using SpectralFrame f = SpectralFrame.Rent(rows, cols);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                a[r, c] = new Complex(random.NextDouble(), random.NextDouble());
                f.RealRow(r)[c] = a[r, c].Real;
                f.ImaginaryRow(r)[c] = a[r, c].Imaginary;
            }

        f.Forward();

        for (int u = 0; u < rows; u += Math.Max(1, rows / 7))
            for (int v = 0; v < cols; v += Math.Max(1, cols / 7))
            {
                Complex s = 0;
                for (int r = 0; r < rows; r++)
                    for (int c = 0; c < cols; c++)
                        s += a[r, c] * Complex.FromPolarCoordinates(1, -2 * Math.PI * ((double)(u * r % rows) / rows + (double)(v * c % cols) / cols));
                int i = f.SpectralIndex(u, v);
                Assert.True((s - new Complex(f.Real[i], f.Imaginary[i])).Magnitude < 1e-11, $"({u}, {v})");
            }
        f.Inverse();
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                Assert.True(Math.Abs(f.RealRow(r)[c] / (rows * cols) - a[r, c].Real) < 1e-13 && Math.Abs(f.ImaginaryRow(r)[c] / (rows * cols) - a[r, c].Imaginary) < 1e-13);
    }

    [Fact]
    public void SplitPair_GivesTheSpectraOfBothRealFrames()
    {
        const int rows = 58, cols = 74;
        var random = new Random(9);
        using SpectralFrame packed = SpectralFrame.Rent(rows, cols), a = SpectralFrame.Rent(rows, cols), b = SpectralFrame.Rent(rows, cols), second = SpectralFrame.Rent(rows, cols);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                double x = random.NextDouble(), y = random.NextDouble() * 100;
                (packed.RealRow(r)[c], packed.ImaginaryRow(r)[c]) = (x, y);
                a.RealRow(r)[c] = x;
                b.RealRow(r)[c] = y;
            }

        packed.Forward();
        packed.SplitPair(second);
        a.Forward();
        b.Forward();

        for (int k1 = 0; k1 < cols; k1++)
            for (int k0 = 0; k0 < rows; k0++)
            {
                int i = packed.SpectralIndex(k0, k1);
                Assert.True(Math.Abs(packed.Real[i] - a.Real[i]) < 1e-10 && Math.Abs(packed.Imaginary[i] - a.Imaginary[i]) < 1e-10, $"A({k0}, {k1})");
                Assert.True(Math.Abs(second.Real[i] - b.Real[i]) < 1e-9 && Math.Abs(second.Imaginary[i] - b.Imaginary[i]) < 1e-9, $"B({k0}, {k1})");
            }
    }

    [Theory]
    [InlineData(new[] { 15, 17, 58 }, 74)]  // the two largest summed minus one, made even
    [InlineData(new[] { 58, 21 }, 78)]
    [InlineData(new[] { 57 }, 58)]          // alone: rounded up to even
    public void CommonSize_IsTheReferencesComputeCommonShape(int[] sizes, int expected) =>
        Assert.Equal(expected, CenterOrigin.CommonSize(sizes));
}
