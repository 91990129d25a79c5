using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.PointSpread;

/// <summary>A PSF given by one fixed kernel image (not spatially varying), the reference's <c>KernelPsf</c> on a fixed kernel.</summary>
public sealed class KernelImagePsf : Psf
{
    private readonly Image<double> kernel;

    /// <summary>
    /// Copies <paramref name="kernel"/>. Its box is re-centred on the origin (min = −((w−1)/2)) and
    /// it is normalised to unit sum.
    /// </summary>
    /// <exception cref="ArgumentException">The kernel sums to 0 or holds a non-finite value.</exception>
    public KernelImagePsf(Image<double> kernel, Point2D? averagePosition = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        var box = new Box(-((kernel.Width - 1) / 2), -((kernel.Height - 1) / 2), kernel.Width, kernel.Height);
        this.kernel = new Image<double>(box);
        double sum = 0;
        for (int j = 0; j < kernel.Height; j++)
        {
            var src = kernel.RowAt(j);
            foreach (double v in src)
            {
                if (!double.IsFinite(v)) throw new ArgumentException("A PSF kernel must hold finite values only.", nameof(kernel));
                sum += v;
            }
            src.CopyTo(this.kernel.RowAt(j));
        }
        if (sum == 0) throw new ArgumentException("A PSF kernel must not sum to 0.", nameof(kernel));
        if (sum != 1)
            foreach (ref double v in this.kernel.Pixels) v /= sum;
        AveragePosition = averagePosition ?? Point2D.Zero;
    }

    /// <summary>
    /// Wraps a kernel that is already normalised (read back from a file), copying it without
    /// renormalising, so that a FITS round trip gives back bit-identical kernel values.
    /// </summary>
    internal KernelImagePsf(Image<double> normalisedKernel, Point2D averagePosition, bool alreadyNormalised)
    {
        ArgumentNullException.ThrowIfNull(normalisedKernel);
        _ = alreadyNormalised;
        var box = new Box(-((normalisedKernel.Width - 1) / 2), -((normalisedKernel.Height - 1) / 2), normalisedKernel.Width, normalisedKernel.Height);
        kernel = new Image<double>(box);
        for (int j = 0; j < normalisedKernel.Height; j++)
        {
            var src = normalisedKernel.RowAt(j);
            foreach (double v in src)
                if (!double.IsFinite(v)) throw new ArgumentException("A PSF kernel must hold finite values only.", nameof(normalisedKernel));
            src.CopyTo(kernel.RowAt(j));
        }
        AveragePosition = averagePosition;
    }

    public override Point2D AveragePosition { get; }
    public override string Kind => "kernelImage";

    /// <summary>The kernel box (centred on the origin).</summary>
    public Box KernelBox => kernel.Box;

    /// <summary>A copy of the kernel.</summary>
    public override Image<double> ComputeKernelImage(Point2D position) => kernel.Clone();

    public override Image<double> ComputeImage(Point2D position) => KernelShift.PlaceAt(kernel, position);
}
