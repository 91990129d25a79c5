using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Engine.Mapping.Mappers;

/// <summary>
/// Convolves each cell with a Gaussian: of a given sigma, or the one that widens the cell's PSF to
/// a target (PSF matching, σ² = target² − current²).
/// </summary>
/// <remarks>
/// The convolution reads the expanded cell, so a cell whose border is at least the kernel radius
/// (ceil(truncate·σ)) has no edge artefacts; where the expanded cell was clipped at the exposure
/// edge the kernel is renormalised over the existing pixels (see <see cref="GaussianConvolution"/>).
/// Returns a new exposure over exactly the cell box: image convolved with g, variance with g², mask
/// the OR over the kernel footprint, PSF the input PSF convolved with the Gaussian (an analytic
/// <see cref="GaussianPsf"/> for a Gaussian input, otherwise a <see cref="KernelImagePsf"/> of the
/// kernel at the cell centre). Stateless and thread-safe; single-threaded per cell.
/// </remarks>
[MapperName("convolve", Description = "Gaussian convolution (sigma, px) or PSF matching to a wider Gaussian (targetSigma / targetFwhm, px)")]
public sealed class ConvolveMapper : IMapper
{
    /// <summary>Creates the mapper; the options are validated here.</summary>
    /// <exception cref="Config.ConfigValidationException">Invalid options.</exception>
    public ConvolveMapper(ConvolveMapperOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>The validated options.</summary>
    public ConvolveMapperOptions Options { get; }

    /// <inheritdoc />
    /// <exception cref="InvalidPsfException">PSF matching without a PSF, or a target narrower than (or equal to) the cell's PSF.</exception>
    public MapResult Map(Exposure cell, Exposure expandedCell, MapContext context)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(expandedCell);
        ArgumentNullException.ThrowIfNull(context);
        context.CancellationToken.ThrowIfCancellationRequested();
        if (!expandedCell.Box.Contains(cell.Box))
            throw new ArgumentException($"Cell {context.CellIndex}: the cell {cell.Box} is not inside its expanded cell {expandedCell.Box}.", nameof(expandedCell));

        var centre = cell.Box.Center;
        double sigma = KernelSigma(cell.Psf, centre, context.CellIndex);
        // Taps beyond the expanded cell never meet a pixel, so the radius need not exceed its size.
        int radius = (int)Math.Min(Math.Ceiling(Options.Truncate * sigma), Math.Max(expandedCell.Width, expandedCell.Height));
        double[] g = GaussianConvolution.Kernel(sigma, radius);

        var box = cell.Box;
        var output = new MaskedImage(Image<float>.CreateUninitialized(box),
            new Mask(Image<int>.CreateUninitialized(box), cell.Mask.Planes),
            Image<float>.CreateUninitialized(box));
        GaussianConvolution.Apply(expandedCell.MaskedImage, output, g, Options.Method);
        var psf = ConvolvedPsf(cell.Psf, centre, sigma, g);
        return new ExposureResult(new Exposure(output, psf, cell.Wcs, cell.Metadata));
    }

    /// <summary>Sigma (pixels) of the Gaussian to convolve with, for a cell whose centre is <paramref name="centre"/>.</summary>
    /// <exception cref="InvalidPsfException">PSF matching is asked for but impossible.</exception>
    public double KernelSigma(Psf? psf, Point2D centre, int cellIndex = 0)
    {
        if (Options.Sigma is double s) return s;
        double target = Options.TargetSigma ?? Options.TargetFwhm!.Value / Psf.FwhmFactor;
        if (psf is null)
            throw new InvalidPsfException($"Cell {cellIndex}: PSF matching (target sigma {target:G6} px) needs an exposure with a PSF.");
        double current = psf.ComputeShape(centre).DeterminantRadius;
        if (!(target > current))
            throw new InvalidPsfException(FormattableString.Invariant(
                $"Cell {cellIndex} at {centre}: the target sigma {target:G6} px (FWHM {target * Psf.FwhmFactor:G6}) is not wider than the PSF's {current:G6} px (FWHM {current * Psf.FwhmFactor:G6}); a convolution can only widen it."));
        return Math.Sqrt(target * target - current * current);
    }

    private static Psf? ConvolvedPsf(Psf? psf, Point2D centre, double sigma, double[] g)
    {
        int r = g.Length / 2;
        switch (psf)
        {
            case null:
                return null;
            case GaussianPsf gauss:
                return new GaussianPsf(gauss.Width + 2 * r, gauss.Height + 2 * r, Math.Sqrt(gauss.Sigma * gauss.Sigma + sigma * sigma));
            default:
                using (var kernel = psf.ComputeKernelImage(centre))
                using (var convolved = GaussianConvolution.ConvolveKernel(kernel, g))
                    return new KernelImagePsf(convolved, centre);
        }
    }
}
