using System.Numerics;
using ImageReducer.Engine.Imaging;
using MathNet.Numerics.IntegralTransforms;

namespace ImageReducer.Engine.Mapping.Mappers;

/// <summary>
/// Separable Gaussian convolution of a masked image, evaluated on an output box inside the input.
/// </summary>
/// <remarks>
/// Edges: pixels outside the input box are missing, not zero. The kernel is renormalised over the
/// pixels that exist (for a rectangular input this is separable: the weight sum is
/// <c>Nx(x)·Ny(y)</c>), so a flat image stays flat up to the edge and a cell whose expanded box
/// was clipped at the exposure edge gets exactly the values a full-image convolution gives there.
/// Image = Σ g·I / N; variance = Σ g²·V / N²; mask = OR of the mask over the (2r+1)² footprint.
/// NaN and infinities propagate through the footprint (the FFT path is not used for such input).
/// Single-threaded and summed in a fixed order, so results do not depend on the thread count.
/// </remarks>
internal static class GaussianConvolution
{
    /// <summary>
    /// Kernel radius from which <see cref="ConvolutionMethod.Auto"/> uses the FFT. Measured with the
    /// <c>convolve</c> bench suite on a 128² cell (2 shared cores): direct 1–82 ms for r = 2..64,
    /// FFT 146–746 ms (MathNet's managed 1-D transforms, one call per row and column), so the FFT only pays for
    /// kernels wider than ~2·64 px: direct grows linearly in r, the FFT only with the padded area.
    /// </summary>
    public const int AutoFftMinRadius = 128;

    /// <summary>The normalised 1-D Gaussian <c>g[m + r] ∝ exp(−m²/2σ²)</c>, m = −r..r.</summary>
    public static double[] Kernel(double sigma, int radius)
    {
        var g = new double[2 * radius + 1];
        double s = 0;
        for (int m = -radius; m <= radius; m++) s += g[m + radius] = Math.Exp(-(double)m * m / (2 * sigma * sigma));
        for (int i = 0; i < g.Length; i++) g[i] /= s;
        return g;
    }

    /// <summary>Convolves <paramref name="input"/> with g⊗g and writes <paramref name="output"/>'s box (inside the input's).</summary>
    public static void Apply(MaskedImage input, MaskedImage output, double[] g, ConvolutionMethod method)
    {
        if (!input.Box.Contains(output.Box))
            throw new ArgumentException($"The output {output.Box} must lie inside the input {input.Box}.", nameof(output));
        int r = g.Length / 2;
        bool fft = method == ConvolutionMethod.Fft || (method == ConvolutionMethod.Auto && r >= AutoFftMinRadius);
        var region = output.Box.Grow(r).Clip(input.Box);
        if (fft && AllFinite(input.Image, region) && AllFinite(input.Variance, region))
            ApplyFft(input, output, g, region);
        else
            ApplyDirect(input, output, g, region);
        OrMask(input.Mask.Pixels, output.Mask.Pixels, r, region);
    }

    /// <summary>Full (zero-padded) 2-D convolution of a kernel image with g⊗g: the box grows by r on every side.</summary>
    public static Image<double> ConvolveKernel(Image<double> kernel, double[] g)
    {
        int r = g.Length / 2;
        var outBox = kernel.Box.Grow(r);
        using var tmp = Image<double>.Rent(new Box(outBox.MinX, kernel.Box.MinY, outBox.Width, kernel.Height));
        for (int y = kernel.Box.MinY; y <= kernel.Box.MaxY; y++)
        {
            var src = kernel.Row(y);
            var dst = tmp.Row(y);
            for (int k = 0; k < src.Length; k++)
                for (int t = 0; t < g.Length; t++) dst[k + t] += g[t] * src[k];
        }
        var result = new Image<double>(outBox);
        for (int y = kernel.Box.MinY; y <= kernel.Box.MaxY; y++)
        {
            var src = tmp.Row(y);
            for (int t = 0; t < g.Length; t++)
            {
                var dst = result.Row(y + t - r);
                for (int i = 0; i < src.Length; i++) dst[i] += g[t] * src[i];
            }
        }
        return result;
    }

    /// <summary>Σ of the kernel taps that land on pixels of [lo, hi] for an output at <paramref name="x"/>.</summary>
    private static double WeightSum(double[] g, int x, int lo, int hi, bool squared)
    {
        int r = g.Length / 2;
        double s = 0;
        for (int m = -r; m <= r; m++)
        {
            int k = x - m;
            if (k < lo || k > hi) continue;
            s += squared ? g[m + r] * g[m + r] : g[m + r];
        }
        return s;
    }

    private static void ApplyDirect(MaskedImage input, MaskedImage output, double[] g, Box region)
    {
        int r = g.Length / 2;
        var outBox = output.Box;
        var inBox = input.Box;
        var g2 = new double[g.Length];
        for (int i = 0; i < g.Length; i++) g2[i] = g[i] * g[i];
        // Horizontal pass over the rows the vertical pass needs, only for the output's columns.
        var tmpBox = new Box(outBox.MinX, region.MinY, outBox.Width, region.Height);
        using var ti = Image<double>.Rent(tmpBox, clear: false);
        using var tv = Image<double>.Rent(tmpBox, clear: false);
        var nx = new double[outBox.Width];
        for (int i = 0; i < nx.Length; i++) nx[i] = WeightSum(g, outBox.MinX + i, inBox.MinX, inBox.MaxX, false);
        for (int y = region.MinY; y <= region.MaxY; y++)
        {
            var srcI = input.Image.Row(y);
            var srcV = input.Variance.Row(y);
            var dstI = ti.Row(y);
            var dstV = tv.Row(y);
            for (int i = 0; i < dstI.Length; i++)
            {
                int x = outBox.MinX + i;
                int mLo = Math.Max(-r, x - inBox.MaxX), mHi = Math.Min(r, x - inBox.MinX);
                double ai = 0, av = 0;
                for (int m = mLo; m <= mHi; m++)
                {
                    int k = x - m - inBox.MinX;
                    ai += g[m + r] * srcI[k];
                    av += g2[m + r] * srcV[k];
                }
                dstI[i] = ai / nx[i];
                dstV[i] = av / (nx[i] * nx[i]);
            }
        }
        // Vertical pass, row-wise so the inner loop runs along contiguous memory; the per-pixel
        // summation order (m ascending) is the same as in the horizontal pass.
        var accI = new double[outBox.Width];
        var accV = new double[outBox.Width];
        for (int y = outBox.MinY; y <= outBox.MaxY; y++)
        {
            Array.Clear(accI);
            Array.Clear(accV);
            int mLo = Math.Max(-r, y - inBox.MaxY), mHi = Math.Min(r, y - inBox.MinY);
            for (int m = mLo; m <= mHi; m++)
            {
                var si = ti.Row(y - m);
                var sv = tv.Row(y - m);
                double c = g[m + r], c2 = g2[m + r];
                for (int i = 0; i < accI.Length; i++)
                {
                    accI[i] += c * si[i];
                    accV[i] += c2 * sv[i];
                }
            }
            double ny = WeightSum(g, y, inBox.MinY, inBox.MaxY, false);
            double ny2 = ny * ny;
            var oi = output.Image.Row(y);
            var ov = output.Variance.Row(y);
            for (int i = 0; i < accI.Length; i++)
            {
                oi[i] = (float)(accI[i] / ny);
                ov[i] = (float)(accV[i] / ny2);
            }
        }
    }

    private static void ApplyFft(MaskedImage input, MaskedImage output, double[] g, Box region)
    {
        int r = g.Length / 2;
        // Padding by r (not 2r) is enough: only outputs at least r pixels from the far side are read.
        int px = NextPowerOfTwo(region.Width + r), py = NextPowerOfTwo(region.Height + r);
        var gx = Spectrum(g, px, squared: false);
        var gy = px == py ? gx : Spectrum(g, py, squared: false);
        var gx2 = Spectrum(g, px, squared: true);
        var gy2 = px == py ? gx2 : Spectrum(g, py, squared: true);
        // MathNet's 1-D transforms need arrays of exactly the transform length, so these are not pooled.
        var image = new Complex[px * py];
        var variance = new Complex[px * py];
        for (int y = region.MinY; y <= region.MaxY; y++)
        {
            var si = input.Image.Row(y).Slice(region.MinX - input.Box.MinX, region.Width);
            var sv = input.Variance.Row(y).Slice(region.MinX - input.Box.MinX, region.Width);
            int o = (y - region.MinY) * px;
            for (int i = 0; i < si.Length; i++)
            {
                image[o + i] = si[i];
                variance[o + i] = sv[i];
            }
        }
        // MathNet's managed provider has no multi-dimensional transform: rows, then columns. Rows
        // outside the region are zero (their transform too) and only the output rows are needed back.
        int rowsIn = region.Height, firstOut = output.Box.MinY - region.MinY, rowsOut = output.Box.Height;
        Complex[] row = new Complex[px], col = new Complex[py];
        Transform2D(image, px, py, rowsIn, 0, py, forward: true, row, col);
        Transform2D(variance, px, py, rowsIn, 0, py, forward: true, row, col);
        for (int v = 0; v < py; v++)
            for (int u = 0; u < px; u++)
            {
                image[v * px + u] *= gy[v] * gx[u];
                variance[v * px + u] *= gy2[v] * gx2[u];
            }
        Transform2D(image, px, py, py, firstOut, rowsOut, forward: false, row, col);
        Transform2D(variance, px, py, py, firstOut, rowsOut, forward: false, row, col);

        var outBox = output.Box;
        var inBox = input.Box;
        var nx = new double[outBox.Width];
        for (int i = 0; i < nx.Length; i++) nx[i] = WeightSum(g, outBox.MinX + i, inBox.MinX, inBox.MaxX, false);
        for (int y = outBox.MinY; y <= outBox.MaxY; y++)
        {
            double ny = WeightSum(g, y, inBox.MinY, inBox.MaxY, false);
            int o = (y - region.MinY) * px + (outBox.MinX - region.MinX);
            var oi = output.Image.Row(y);
            var ov = output.Variance.Row(y);
            for (int i = 0; i < oi.Length; i++)
            {
                double n = nx[i] * ny;
                oi[i] = (float)(image[o + i].Real / n);
                ov[i] = (float)(variance[o + i].Real / (n * n));
            }
        }
    }

    /// <summary>
    /// 2-D DFT (unscaled forward, 1/N inverse) of a row-major px × py array, as row and column
    /// 1-D transforms. Forward: rows [0, rowsLive) are transformed (the others are zero), then every
    /// column. Inverse: every column, then only rows [firstRow, firstRow + rowCount).
    /// </summary>
    private static void Transform2D(Complex[] a, int px, int py, int rowsLive, int firstRow, int rowCount, bool forward, Complex[] row, Complex[] col)
    {
        if (forward)
        {
            for (int v = 0; v < rowsLive; v++) RowTransform(a, v, px, row, true);
            for (int u = 0; u < px; u++) ColumnTransform(a, u, px, py, col, true);
        }
        else
        {
            for (int u = 0; u < px; u++) ColumnTransform(a, u, px, py, col, false);
            for (int v = firstRow; v < firstRow + rowCount; v++) RowTransform(a, v, px, row, false);
        }
    }

    private static void RowTransform(Complex[] a, int v, int px, Complex[] row, bool forward)
    {
        Array.Copy(a, v * px, row, 0, px);
        if (forward) Fourier.Forward(row, FourierOptions.Matlab); else Fourier.Inverse(row, FourierOptions.Matlab);
        Array.Copy(row, 0, a, v * px, px);
    }

    private static void ColumnTransform(Complex[] a, int u, int px, int py, Complex[] col, bool forward)
    {
        for (int v = 0; v < py; v++) col[v] = a[v * px + u];
        if (forward) Fourier.Forward(col, FourierOptions.Matlab); else Fourier.Inverse(col, FourierOptions.Matlab);
        for (int v = 0; v < py; v++) a[v * px + u] = col[v];
    }

    /// <summary>Unscaled DFT of g (or g²) wrapped so that tap m sits at index m mod n.</summary>
    private static Complex[] Spectrum(double[] g, int n, bool squared)
    {
        int r = g.Length / 2;
        var s = new Complex[n];
        for (int m = -r; m <= r; m++)
        {
            double v = squared ? g[m + r] * g[m + r] : g[m + r];
            s[((m % n) + n) % n] += v;
        }
        Fourier.Forward(s, FourierOptions.Matlab);
        return s;
    }

    private static int NextPowerOfTwo(int n)
    {
        int p = 1;
        while (p < n) p <<= 1;
        return p;
    }

    private static bool AllFinite(Image<float> image, Box region)
    {
        for (int y = region.MinY; y <= region.MaxY; y++)
            foreach (float v in image.Row(y).Slice(region.MinX - image.Box.MinX, region.Width))
                if (!float.IsFinite(v)) return false;
        return true;
    }

    /// <summary>Output mask = OR of the input mask over the (2r+1)² footprint clipped to the input (separable: rows, then columns).</summary>
    private static void OrMask(Image<int> input, Image<int> output, int r, Box region)
    {
        var outBox = output.Box;
        using var tmp = Image<int>.Rent(new Box(outBox.MinX, region.MinY, outBox.Width, region.Height), clear: false);
        for (int y = region.MinY; y <= region.MaxY; y++)
        {
            var src = input.Row(y);
            var dst = tmp.Row(y);
            for (int i = 0; i < dst.Length; i++)
            {
                int x = outBox.MinX + i;
                int lo = Math.Max(x - r, input.Box.MinX) - input.Box.MinX, hi = Math.Min(x + r, input.Box.MaxX) - input.Box.MinX;
                int acc = 0;
                for (int k = lo; k <= hi; k++) acc |= src[k];
                dst[i] = acc;
            }
        }
        for (int y = outBox.MinY; y <= outBox.MaxY; y++)
        {
            var dst = output.Row(y);
            dst.Clear();
            int lo = Math.Max(y - r, input.Box.MinY), hi = Math.Min(y + r, input.Box.MaxY);
            for (int k = lo; k <= hi; k++)
            {
                var src = tmp.Row(k);
                for (int i = 0; i < dst.Length; i++) dst[i] |= src[i];
            }
        }
    }
}
