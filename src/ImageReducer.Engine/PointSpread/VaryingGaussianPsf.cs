using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.PointSpread;

/// <summary>
/// A spatially varying Gaussian PSF: <c>σ(x, y) = σ0 + σx·(x − x_ref) + σy·(y − y_ref)</c>,
/// sampled like <see cref="GaussianPsf"/> on a width × height kernel. Used by synthetic
/// exposures (the demo) whose seeing changes across the field.
/// </summary>
public sealed class VaryingGaussianPsf : Psf
{
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1 or σ0 is not positive.</exception>
    public VaryingGaussianPsf(int width, int height, double sigma0, double sigmaX, double sigmaY, Point2D reference)
    {
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), $"width must be >= 1, got {width}");
        if (height < 1) throw new ArgumentOutOfRangeException(nameof(height), $"height must be >= 1, got {height}");
        if (!(sigma0 > 0) || double.IsInfinity(sigma0)) throw new ArgumentOutOfRangeException(nameof(sigma0), $"sigma0 must be > 0, got {sigma0}");
        if (!double.IsFinite(sigmaX)) throw new ArgumentOutOfRangeException(nameof(sigmaX));
        if (!double.IsFinite(sigmaY)) throw new ArgumentOutOfRangeException(nameof(sigmaY));
        (Width, Height, Sigma0, SigmaX, SigmaY, Reference) = (width, height, sigma0, sigmaX, sigmaY, reference);
    }

    public int Width { get; }
    public int Height { get; }
    public double Sigma0 { get; }
    public double SigmaX { get; }
    public double SigmaY { get; }
    /// <summary>Where σ = σ0; also the average position.</summary>
    public Point2D Reference { get; }
    public override Point2D AveragePosition => Reference;
    public override string Kind => "varyingGaussian";

    /// <summary>σ at a position, floored at 0.3 px so that the model stays valid far from the reference.</summary>
    public double SigmaAt(Point2D p) => Math.Max(0.3, Sigma0 + SigmaX * (p.X - Reference.X) + SigmaY * (p.Y - Reference.Y));

    private GaussianPsf At(Point2D p) => new(Width, Height, SigmaAt(p));

    public override Image<double> ComputeKernelImage(Point2D position) => At(position).ComputeKernelImage(position);
    public override Image<double> ComputeImage(Point2D position) => At(position).ComputeImage(position);
}
