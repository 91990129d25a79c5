using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.PointSpread;

/// <summary>
/// A point-spread function model. Kernel images are <see cref="Image{T}"/> of doubles whose box is
/// centred on the origin: a kernel of width w has <c>Box.MinX = -((w - 1) / 2)</c>.
/// </summary>
/// <remarks>Implementations are immutable and thread-safe; every call returns a new image the caller owns.</remarks>
public abstract class Psf
{
    /// <summary>2·sqrt(2·ln 2): FWHM = determinant radius × this factor (Gaussian relation).</summary>
    public static readonly double FwhmFactor = 2.0 * Math.Sqrt(2.0 * Math.Log(2.0));

    /// <summary>The kernel image at <paramref name="position"/> (parent pixel coordinates), centred on (0,0), unit sum.</summary>
    public abstract Image<double> ComputeKernelImage(Point2D position);

    /// <summary>
    /// The PSF image placed at <paramref name="position"/>: its box is the kernel box shifted to the
    /// nearest pixel, <c>floor(p + 0.5)</c>, and for a fractional position the profile is
    /// re-centred on the exact sub-pixel point.
    /// </summary>
    public abstract Image<double> ComputeImage(Point2D position);

    /// <summary>The position at which the PSF is representative (the reference's <c>getAveragePosition</c>).</summary>
    public virtual Point2D AveragePosition => Point2D.Zero;

    /// <summary>Adaptive (Gaussian-weighted, iterated, SDSS-style) second moments of the kernel image at <paramref name="position"/>.</summary>
    public virtual PsfShape ComputeShape(Point2D position)
    {
        using var kernel = ComputeKernelImage(position);
        return AdaptiveMoments.Measure(kernel);
    }

    /// <summary>Shape at <see cref="AveragePosition"/>.</summary>
    public PsfShape ComputeShape() => ComputeShape(AveragePosition);

    /// <summary>FWHM (pixels) = determinant radius of the adaptive shape × <see cref="FwhmFactor"/>.</summary>
    public double ComputeFwhm(Point2D position) => ComputeShape(position).DeterminantRadius * FwhmFactor;

    /// <summary>FWHM at <see cref="AveragePosition"/>: the value the grid is scaled by.</summary>
    public double ComputeFwhm() => ComputeFwhm(AveragePosition);

    /// <summary>A short type name used in files and JSON: <c>gaussian</c>, <c>doubleGaussian</c>, <c>kernelImage</c>, <c>coadd</c>, <c>varyingGaussian</c>.</summary>
    public abstract string Kind { get; }
}

/// <summary>Second moments of a PSF (pixels²).</summary>
public readonly record struct PsfShape(double Ixx, double Iyy, double Ixy)
{
    /// <summary>(Ixx·Iyy − Ixy²)^¼.</summary>
    public double DeterminantRadius => Math.Pow(Ixx * Iyy - Ixy * Ixy, 0.25);
}

/// <summary>
/// A PSF cannot be evaluated (for instance a CoaddPsf at a point no component covers), or a mapper needs one the
/// exposure lacks: <see cref="Errors.ErrorClass.UnsuitableInput"/>, <see cref="Errors.ErrorCodes.UnusablePsf"/>.
/// </summary>
public sealed class InvalidPsfException(string message)
    : Errors.ImageReducerException(Errors.ErrorClass.UnsuitableInput, Errors.ErrorCodes.UnusablePsf, message);
