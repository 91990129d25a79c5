using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.PointSpread;

/// <summary>
/// The reference's <c>DoubleGaussianPsf(width, height, sigma1, sigma2, b)</c>:
/// <c>f(r) ∝ exp(−r²/2σ1²) + b·exp(−r²/2σ2²)</c> sampled at pixel centres on a width × height
/// kernel whose centre is pixel <c>(w−1)/2</c>, normalised to unit sum. Not spatially varying.
/// </summary>
public class DoubleGaussianPsf : Psf
{
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1, a sigma is not positive, or b is negative or not finite.</exception>
    public DoubleGaussianPsf(int width, int height, double sigma1, double sigma2 = 0, double b = 0)
    {
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), $"width must be >= 1, got {width}");
        if (height < 1) throw new ArgumentOutOfRangeException(nameof(height), $"height must be >= 1, got {height}");
        if (b == 0 && sigma2 == 0) sigma2 = 1; // as the reference: avoids 0/0 at the centre
        if (!(sigma1 > 0) || double.IsInfinity(sigma1)) throw new ArgumentOutOfRangeException(nameof(sigma1), $"sigma1 must be > 0, got {sigma1}");
        if (!(sigma2 > 0) || double.IsInfinity(sigma2)) throw new ArgumentOutOfRangeException(nameof(sigma2), $"sigma2 must be > 0, got {sigma2}");
        if (!(b >= 0) || double.IsInfinity(b)) throw new ArgumentOutOfRangeException(nameof(b), $"b must be >= 0, got {b}");
        (Width, Height, Sigma1, Sigma2, B) = (width, height, sigma1, sigma2, b);
    }

    public int Width { get; }
    public int Height { get; }
    public double Sigma1 { get; }
    public double Sigma2 { get; }
    public double B { get; }

    public override string Kind => "doubleGaussian";

    /// <summary>The kernel box centred on the origin.</summary>
    public Box KernelBox => new(-((Width - 1) / 2), -((Height - 1) / 2), Width, Height);

    public override Image<double> ComputeKernelImage(Point2D position) => Render(KernelBox, 0, 0);

    public override Image<double> ComputeImage(Point2D position)
    {
        int ix = (int)Math.Floor(position.X + 0.5), iy = (int)Math.Floor(position.Y + 0.5);
        var box = KernelBox.Shift(ix, iy);
        return Render(box, position.X, position.Y);
    }

    /// <summary>Samples the profile at the pixel centres of <paramref name="box"/> around (cx, cy) and normalises to unit sum.</summary>
    private Image<double> Render(Box box, double cx, double cy)
    {
        var img = new Image<double>(box);
        double s1 = Sigma1 * Sigma1, s2 = Sigma2 * Sigma2;
        double sum = 0;
        for (int y = box.MinY; y <= box.MaxY; y++)
        {
            var row = img.Row(y);
            double dy = y - cy;
            for (int i = 0; i < row.Length; i++)
            {
                double dx = box.MinX + i - cx;
                double r2 = dx * dx + dy * dy;
                double v = Math.Exp(-r2 / (2 * s1)) + B * Math.Exp(-r2 / (2 * s2));
                row[i] = v;
                sum += v;
            }
        }
        if (sum == 0) throw new InvalidPsfException("Cannot normalise the kernel: its sum is 0.");
        double inv = 1.0 / sum;
        for (int y = box.MinY; y <= box.MaxY; y++)
            foreach (ref double v in img.Row(y)) v *= inv;
        return img;
    }

    public override string ToString() => FormattableString.Invariant($"DoubleGaussianPsf({Width}, {Height}, {Sigma1}, {Sigma2}, b={B})");
}

/// <summary>A single Gaussian PSF: a <see cref="DoubleGaussianPsf"/> with b = 0.</summary>
public sealed class GaussianPsf(int width, int height, double sigma) : DoubleGaussianPsf(width, height, sigma, 0, 0)
{
    public double Sigma => Sigma1;
    public override string Kind => "gaussian";
    public override string ToString() => FormattableString.Invariant($"GaussianPsf({Width}, {Height}, {Sigma})");
}
