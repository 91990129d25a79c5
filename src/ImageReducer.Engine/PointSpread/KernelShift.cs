using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.PointSpread;

/// <summary>Places a kernel image (centred on the origin) at a parent position, re-centring it at sub-pixel precision.</summary>
/// <remarks>
/// The sub-pixel part is applied with a separable Lanczos interpolant of order <see cref="Order"/>,
/// the kernel LSST's warping uses by default (<c>lanczos5</c>); pixels shifted out of the box are
/// lost and the result is renormalised to unit sum.
/// </remarks>
internal static class KernelShift
{
    /// <summary>Order of the Lanczos interpolant.</summary>
    public const int Order = 5;

    /// <summary>
    /// Box = kernel box shifted by <c>floor(p + 0.5)</c>; the fractional part is applied by
    /// interpolation and the result renormalised to unit sum. An integer position returns the
    /// kernel's pixels exactly.
    /// </summary>
    public static Image<double> PlaceAt(Image<double> kernel, Point2D position)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        if (!double.IsFinite(position.X) || !double.IsFinite(position.Y))
            throw new ArgumentException($"Cannot place a kernel at the non-finite position {position}.", nameof(position));
        int ix = (int)Math.Floor(position.X + 0.5), iy = (int)Math.Floor(position.Y + 0.5);
        double dx = position.X - ix, dy = position.Y - iy; // in [-0.5, 0.5)
        // An owned image (not a WithOrigin view of a clone), so callers own what they get.
        var img = Image<double>.CreateUninitialized(kernel.Box.Shift(ix, iy));
        img.CopyFrom(kernel);
        if (dx == 0 && dy == 0) return img; // exact: no interpolation, no renormalisation

        int w = kernel.Width, h = kernel.Height;
        Span<double> wx = stackalloc double[2 * Order + 1];
        Span<double> wy = stackalloc double[2 * Order + 1];
        int offX = Weights(dx, wx), offY = Weights(dy, wy);
        using var tmp = Image<double>.Rent(new Box(0, 0, w, h), clear: false);
        // out[u] = Σ_k in[k]·L(u − d − k): taps m = u − k run from −Order to +Order.
        for (int j = 0; j < h; j++)
            Convolve1D(kernel.RowAt(j), tmp.RowAt(j), dx == 0 ? default : wx, offX);
        double sum = 0;
        for (int j = 0; j < h; j++)
        {
            var dst = img.RowAt(j);
            if (dy == 0) { tmp.RowAt(j).CopyTo(dst); }
            else
            {
                dst.Clear();
                for (int t = 0; t < wy.Length; t++)
                {
                    int k = j - (offY + t);
                    if ((uint)k >= (uint)h) continue;
                    var src = tmp.RowAt(k);
                    double c = wy[t];
                    for (int i = 0; i < w; i++) dst[i] += c * src[i];
                }
            }
            foreach (double v in dst) sum += v;
        }
        if (!(sum != 0) || !double.IsFinite(sum))
            throw new InvalidPsfException($"Cannot renormalise the kernel shifted to {position}: its sum is {sum}.");
        double inv = 1.0 / sum;
        for (int j = 0; j < h; j++)
            foreach (ref double v in img.RowAt(j)) v *= inv;
        return img;
    }

    /// <summary>
    /// Lanczos weights for a shift by <paramref name="d"/>: <c>weights[t] = L(offset + t − d)</c>,
    /// normalised to unit sum so that a flat image stays flat. Returns the first tap offset.
    /// </summary>
    internal static int Weights(double d, Span<double> weights)
    {
        int offset = -Order;
        double s = 0;
        for (int t = 0; t < weights.Length; t++)
        {
            weights[t] = Lanczos(offset + t - d);
            s += weights[t];
        }
        for (int t = 0; t < weights.Length; t++) weights[t] /= s;
        return offset;
    }

    /// <summary>The Lanczos kernel <c>sinc(x)·sinc(x/a)</c> for |x| &lt; a, else 0.</summary>
    internal static double Lanczos(double x)
    {
        if (x == 0) return 1;
        if (Math.Abs(x) >= Order) return 0;
        double px = Math.PI * x;
        return Order * Math.Sin(px) * Math.Sin(px / Order) / (px * px);
    }

    private static void Convolve1D(ReadOnlySpan<double> src, Span<double> dst, ReadOnlySpan<double> weights, int offset)
    {
        if (weights.IsEmpty) { src.CopyTo(dst); return; }
        int n = src.Length;
        for (int u = 0; u < n; u++)
        {
            double acc = 0;
            for (int t = 0; t < weights.Length; t++)
            {
                int k = u - (offset + t);
                if ((uint)k < (uint)n) acc += weights[t] * src[k];
            }
            dst[u] = acc;
        }
    }
}
