using System.Numerics;
using ImageReducer.Engine.Mapping.Spectral;

namespace ImageReducer.Engine.Tests.Mapping.Diffim;

/// <summary>The per-length FFT plans (MathNet radix-2, own Bluestein for other lengths) against the DFT's definition.</summary>
public class FourierPlanTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(58)]
    [InlineData(64)]
    [InlineData(98)]
    [InlineData(131)]
    public void Forward_IsTheDftAndInverseUndoesIt(int n)
    {
        var random = new Random(n);
        var x = new Complex[n];
        for (int i = 0; i < n; i++) x[i] = new Complex(random.NextDouble() - 0.5, random.NextDouble() - 0.5);
        var y = (Complex[])x.Clone();

        new FourierPlan(n).Forward(y);

        for (int k = 0; k < n; k++)
        {
            Complex s = 0;
            for (int j = 0; j < n; j++) s += x[j] * Complex.FromPolarCoordinates(1, -2 * Math.PI * ((long)j * k % n) / n);
            Assert.True((s - y[k]).Magnitude < 1e-12 * n, $"n={n} k={k}: {y[k]} vs {s}");
        }
        new FourierPlan(n).Inverse(y);
        for (int i = 0; i < n; i++) Assert.True((x[i] - y[i]).Magnitude < 1e-14 * n, $"n={n}: round trip at {i}");
    }

    [Fact]
    public void Forward2D_IsRowsThenColumns()
    {
        const int rows = 6, cols = 10;
        var random = new Random(3);
        var a = new Complex[rows * cols];
        for (int i = 0; i < a.Length; i++) a[i] = random.NextDouble();
        var f = (Complex[])a.Clone();

        FourierPlans.Forward2D(f, rows, cols);

        for (int u = 0; u < rows; u++)
            for (int v = 0; v < cols; v++)
            {
                Complex s = 0;
                for (int r = 0; r < rows; r++)
                    for (int c = 0; c < cols; c++)
                        s += a[r * cols + c] * Complex.FromPolarCoordinates(1, -2 * Math.PI * ((double)u * r / rows + (double)v * c / cols));
                Assert.True((s - f[u * cols + v]).Magnitude < 1e-12, $"({u}, {v})");
            }
    }

    [Theory]
    [InlineData(new[] { 15, 17, 58 }, 74)]  // the two largest summed minus one, made even
    [InlineData(new[] { 58, 21 }, 78)]
    [InlineData(new[] { 57 }, 58)]          // alone: rounded up to even
    public void CommonSize_IsTheReferencesComputeCommonShape(int[] sizes, int expected) =>
        Assert.Equal(expected, CenterOrigin.CommonSize(sizes));
}
