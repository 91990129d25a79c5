using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Engine.Mapping.Auxiliary;

/// <summary>
/// A kernel given to a mapper as an auxiliary input (the reference's <c>psfMatchingKernel</c>, <c>preConvKernel</c>):
/// a fixed kernel image, kept as given (its sum is the photometric scaling of an A&amp;L matching kernel, so it is
/// never normalised), or a PSF model evaluated at each cell (spatially varying when the model is).
/// </summary>
/// <remarks>Immutable and thread-safe; every call returns a new image the caller owns.</remarks>
public abstract class AuxiliaryKernel
{
    private protected AuxiliaryKernel() { }

    /// <summary>The kernel at <paramref name="position"/> (parent pixels), its box centred on the origin (min = −((w−1)/2)).</summary>
    public abstract Image<double> ComputeImage(Point2D position);

    /// <summary>Width and height of the kernel images.</summary>
    public abstract (int Width, int Height) Dimensions { get; }

    /// <summary>A fixed kernel (copied; its values are kept, not normalised).</summary>
    /// <exception cref="ArgumentException">A non-finite value.</exception>
    public static AuxiliaryKernel Fixed(Image<double> kernel) => new FixedKernel(kernel);

    /// <summary>A PSF model used as a kernel: unit sum, evaluated at each cell's position.</summary>
    public static AuxiliaryKernel FromPsf(Psf psf) => new PsfKernel(psf ?? throw new ArgumentNullException(nameof(psf)));

    /// <summary>
    /// The kernel of a FITS file: its PSF extension when it has one (a PSF or exposure file), else its first
    /// two-dimensional image as a fixed kernel.
    /// </summary>
    /// <exception cref="FitsException">The file holds neither, or a kernel with a non-finite value.</exception>
    public static AuxiliaryKernel Read(FitsReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (PsfFits.TryRead(reader) is { } psf) return FromPsf(psf);
        FitsHdu hdu = reader.Hdus.FirstOrDefault(h => h.IsImage2D && h.Width > 0 && h.Height > 0)
            ?? throw FitsErrors.MissingExtension(reader.FileName, "PSF", "a kernel file needs a PSF extension or a 2-D image, and this one has neither");
        using Image<double> image = reader.ReadImage<double>(hdu);
        try
        {
            return Fixed(image);
        }
        catch (ArgumentException e)
        {
            throw FitsErrors.InvalidPsf(reader.FileName, hdu.Index, $"HDU {hdu.Index} is not a usable kernel: {e.Message.Split(" (Parameter")[0]}", e);
        }
    }

    /// <summary>Reads the kernel of a FITS stream (see <see cref="Read(FitsReader)"/>).</summary>
    public static AuxiliaryKernel Read(Stream stream, string fileName)
    {
        using var reader = new FitsReader(stream, FitsReadOptions.Default, fileName, leaveOpen: true);
        return Read(reader);
    }

    private sealed class FixedKernel : AuxiliaryKernel
    {
        private readonly Image<double> kernel;

        public FixedKernel(Image<double> source)
        {
            ArgumentNullException.ThrowIfNull(source);
            kernel = new Image<double>(new Box(-((source.Width - 1) / 2), -((source.Height - 1) / 2), source.Width, source.Height));
            for (int j = 0; j < source.Height; j++)
            {
                ReadOnlySpan<double> row = source.RowAt(j);
                foreach (double v in row)
                    if (!double.IsFinite(v)) throw new ArgumentException("A kernel must hold finite values only.", nameof(source));
                row.CopyTo(kernel.RowAt(j));
            }
        }

        public override (int Width, int Height) Dimensions => (kernel.Width, kernel.Height);

        public override Image<double> ComputeImage(Point2D position) => kernel.Clone();
    }

    private sealed class PsfKernel(Psf psf) : AuxiliaryKernel
    {
        public override (int Width, int Height) Dimensions
        {
            get
            {
                using var k = psf.ComputeKernelImage(psf.AveragePosition);
                return (k.Width, k.Height);
            }
        }

        public override Image<double> ComputeImage(Point2D position) => psf.ComputeKernelImage(position);
    }
}
