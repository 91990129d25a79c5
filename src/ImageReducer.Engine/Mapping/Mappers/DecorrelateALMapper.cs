using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping.Auxiliary;
using ImageReducer.Engine.Mapping.Spectral;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Engine.Mapping.Mappers;

/// <summary>
/// <c>decorrelateAL</c>: the Alard &amp; Lupton difference-image decorrelation "afterburner" of LSST's
/// <c>DecorrelateALKernelMapper</c> (DMTN-021 eq. 1), computed per cell so that it follows the spatial variation of
/// the matching kernel, the variances and the PSF. The main exposure is the (uncorrected) A&amp;L difference image.
/// </summary>
/// <remarks>
/// <para>Per cell, on the expanded cell (as the reference: its <c>subtractedExposure</c> is the expanded
/// sub-exposure): the matching kernel κ at the expanded box's centre; the sigma-clipped (3σ, 3 iterations, afw's
/// <c>MEANCLIP</c>) means σ²_s, σ²_t of the science and template variance planes over the expanded cell; the FFT
/// frame of <c>computeCommonShape</c> (the two largest of kernel, PSF and cell sizes, summed minus one, even); the
/// correction <c>φ(k) = sqrt((σ²_s + σ²_t·(Σκ)²) / (σ²_s + σ²_t·|κ̂(k)|²))</c> applied to the difference image
/// centred on the frame origin (non-finite pixels filled with the finite mean, then put back); the variance the
/// inputs' variance planes weighted by the power of the two overall kernels (or, with
/// <c>completeVarPlanePropagation</c>, convolved with their squares); the PSF the science PSF at the centre
/// corrected by φ and renormalised (LSST computes it too, <c>computeCorrectedDiffimPsf</c>, but currently keeps the
/// uncorrected PSF, DM-47461). The result is the cell's part; <c>reduceOperation=average</c> stitches the cells.</para>
/// <para>FFTs are the engine's own mixed-radix transforms (<see cref="SpectralFrame"/>: frames, plans and scratch per
/// thread, reused across cells); the image and the PSF share one transform pair. Thread-safe; a cell's result does not depend on the thread or the tiling.</para>
/// </remarks>
[MapperName("decorrelateAL", Description = "A&L difference-image decorrelation per cell (LSST DecorrelateALKernelMapper); auxiliary: science, template, psfMatchingKernel.")]
public sealed class DecorrelateALMapper : IMapper
{
    /// <summary>The original science exposure (before any convolution).</summary>
    public const string Science = "science";

    /// <summary>The original template exposure, warped to the science image but not PSF-matched.</summary>
    public const string Template = "template";

    /// <summary>The A&amp;L PSF-matching kernel (its sum is kept: it is the photometric scaling).</summary>
    public const string MatchingKernel = "psfMatchingKernel";

    private readonly IReadOnlyList<AuxiliaryInput> inputs;

    /// <summary>Creates the mapper; the options are validated here.</summary>
    public DecorrelateALMapper(DecorrelateALMapperOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        inputs =
        [
            new AuxiliaryInput(Science, AuxiliaryKind.Exposure, "the science exposure before subtraction", NeedsPsf: options.TemplateMatched),
            new AuxiliaryInput(Template, AuxiliaryKind.Exposure, "the template warped to the science image, not PSF-matched", NeedsPsf: !options.TemplateMatched),
            new AuxiliaryInput(MatchingKernel, AuxiliaryKind.Kernel, "the A&L PSF-matching kernel (a FITS kernel image, or a PSF file)"),
        ];
    }

    /// <summary>The validated options.</summary>
    public DecorrelateALMapperOptions Options { get; }

    /// <inheritdoc/>
    public IReadOnlyList<AuxiliaryInput> AuxiliaryInputs => inputs;

    /// <inheritdoc/>
    public MapResult Map(Exposure cell, Exposure expandedCell, MapContext context)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(expandedCell);
        ArgumentNullException.ThrowIfNull(context);
        context.CancellationToken.ThrowIfCancellationRequested();
        Exposure science = context.Auxiliary.Exposure(Science), template = context.Auxiliary.Exposure(Template);
        AuxiliaryKernel matching = context.Auxiliary.Kernel(MatchingKernel)
            ?? throw AuxiliaryInputException.Missing(AuxiliaryData.NameOf(this), inputs[2]);
        Box e = expandedCell.Box;
        // The reference's centre: (getBeginX() + getEndX()) / 2 of the expanded box, in float.
        var centre = new Point2D((e.MinX + e.MaxX + 1) / 2.0, (e.MinY + e.MaxY + 1) / 2.0);

        double svar = VarianceMean(science), tvar = VarianceMean(template);
        if ((double.IsNaN(svar) || double.IsNaN(tvar)) && (AllNaN(science.Image) || AllNaN(template.Image)))
            return new ExposureResult(DiffimCell.Unchanged(cell)); // nothing to decorrelate against: the reference returns the input

        bool templateMatched = Options.TemplateMatched;
        double varianceMean = templateMatched ? svar : tvar, targetVarianceMean = templateMatched ? tvar : svar;
        Exposure unconvolved = templateMatched ? science : template, convolved = templateMatched ? template : science;
        Psf psf = unconvolved.Psf ?? throw AuxiliaryInputException.NoPsf(AuxiliaryData.NameOf(this), templateMatched ? Science : Template, "");

        using Image<double> kappa = matching.ComputeImage(centre);
        using Image<double> psfImage = psf.ComputeKernelImage(centre);
        int n0 = CenterOrigin.CommonSize(kappa.Height, psfImage.Height, e.Height);
        int n1 = CenterOrigin.CommonSize(kappa.Width, psfImage.Width, e.Width);
        using SpectralFrame kft = SpectralFrame.Rent(n0, n1), corr = SpectralFrame.Rent(n0, n1), frame = SpectralFrame.Rent(n0, n1);

        // computeDiffimCorrection: φ (kept in corr.Real), and the overall kernels of the unconvolved (φ) and convolved (κ̂φ) images.
        double kSum = Sum(kappa);
        PadCentreOrigin(kappa, kft, imaginary: false);
        kft.Forward();
        double numerator = varianceMean + targetVarianceMean * kSum * kSum;
        double w1 = 0, w2 = 0;
        Span<double> kr = kft.Real, ki = kft.Imaginary, phi = corr.Real;
        for (int k1 = 0; k1 < n1; k1++)
            for (int k0 = 0; k0 < n0; k0++)
            {
                int i = kft.SpectralIndex(k0, k1);
                double k2 = kr[i] * kr[i] + ki[i] * ki[i];
                double c = Math.Sqrt(numerator / (varianceMean + targetVarianceMean * k2));
                phi[i] = c;
                w1 += c * c;
                w2 += k2 * c * c;
            }
        w1 /= n0 * n1;
        w2 /= n0 * n1;

        Box box = cell.Box;
        var image = Image<float>.Rent(box, clear: false);
        var variance = Image<float>.Rent(box, clear: false);
        var mask = Image<int>.Rent(box, clear: false);
        try
        {
            Psf corrected = Correct(expandedCell.Image, psfImage, box, phi, frame, image, box.Center);
            // In science-convolution mode the A&L subtraction rescaled the difference by the kernel sum: the
            // variance is divided by its square (in float64, before the one rounding to float32).
            double scale = templateMatched ? 1.0 : kSum * kSum;
            if (Options.CompleteVarPlanePropagation)
                PropagateVariance(unconvolved.Variance, convolved.Variance, varianceMean, targetVarianceMean, kft, phi, frame, box, variance, scale);
            else
            {
                Image<float> plain = unconvolved.Variance.Sub(box), matched = convolved.Variance.Sub(box);
                for (int j = 0; j < box.Height; j++)
                {
                    ReadOnlySpan<float> v1 = plain.RowAt(j), v2 = matched.RowAt(j);
                    Span<float> target = variance.RowAt(j);
                    for (int i = 0; i < target.Length; i++) target[i] = (float)((v1[i] * w1 + v2[i] * w2) / scale);
                }
            }
            for (int j = 0; j < box.Height; j++) cell.Mask.Pixels.RowAt(j).CopyTo(mask.RowAt(j));
            return new ExposureResult(new Exposure(new MaskedImage(image, new Mask(mask, cell.Mask.Planes), variance),
                corrected, cell.Wcs, cell.Metadata));
        }
        catch
        {
            image.Dispose();
            variance.Dispose();
            mask.Dispose();
            throw;
        }
    }

    /// <summary>The sigma-clipped mean of <paramref name="exposure"/>'s variance plane (afw's <c>MEANCLIP</c>, 3σ, 3 iterations).</summary>
    public double VarianceMean(Exposure exposure)
    {
        ArgumentNullException.ThrowIfNull(exposure);
        return DiffimCell.ClippedVarianceMean(exposure, Options.IgnoreMaskPlanes);
    }

    /// <summary>
    /// <c>computeCorrectedImage</c> and <c>computeCorrectedDiffimPsf</c> in one transform pair: the expanded cell's
    /// image (non-finite pixels set to the mean of the finite ones) as the real part and the PSF as the imaginary part,
    /// both centred on the frame origin, filtered by φ. φ is real and even, so each part of the result is the filtered
    /// part alone. The image is scaled by a power of two (exact) to the PSF's magnitude first, so the PSF's values are
    /// not swamped by the image's rounding. Writes the cell's pixels (non-finite ones put back); returns the PSF.
    /// </summary>
    private static Psf Correct(Image<float> source, Image<double> psf, Box box, ReadOnlySpan<double> phi, SpectralFrame frame, Image<float> target, Point2D position)
    {
        int h = source.Height, w = source.Width, n0 = frame.Rows, n1 = frame.Cols;
        double fill = DiffimCell.FiniteMean(source);
        if (double.IsNaN(fill)) fill = 0; // no finite pixel: every output pixel is put back, only the PSF matters
        double imageMax = Math.Abs(fill), psfMax = 0;
        for (int r = 0; r < h; r++)
            foreach (float v in source.RowAt(r))
                if (float.IsFinite(v)) imageMax = Math.Max(imageMax, Math.Abs(v));
        for (int r = 0; r < psf.Height; r++)
            foreach (double v in psf.RowAt(r)) psfMax = Math.Max(psfMax, Math.Abs(v));
        int exponent = imageMax > 0 && psfMax > 0 && double.IsFinite(psfMax) ? Math.ILogB(psfMax) - Math.ILogB(imageMax) : 0;
        double up = Math.ScaleB(1.0, exponent), down = Math.ScaleB(1.0, -exponent);

        for (int r = 0; r < h; r++)
        {
            ReadOnlySpan<float> row = source.RowAt(r);
            Span<double> f = frame.RealRow(CenterOrigin.Pad(r, h, n0));
            for (int c = 0; c < w; c++)
            {
                float v = row[c];
                f[CenterOrigin.Pad(c, w, n1)] = (float.IsFinite(v) ? v : fill) * up;
            }
        }
        PadCentreOrigin(psf, frame, imaginary: true);
        frame.Forward();
        double scale = 1.0 / (n0 * n1); // the inverse is unscaled
        Span<double> re = frame.Real, im = frame.Imaginary;
        for (int i = 0; i < re.Length; i++)
        {
            double c = phi[i] * scale;
            re[i] *= c;
            im[i] *= c;
        }
        frame.Inverse();

        int r0 = box.MinY - source.Box.MinY, c0 = box.MinX - source.Box.MinX;
        for (int j = 0; j < box.Height; j++)
        {
            ReadOnlySpan<float> original = source.RowAt(r0 + j);
            ReadOnlySpan<double> f = frame.RealRow(CenterOrigin.Pad(r0 + j, h, n0));
            Span<float> output = target.RowAt(j);
            for (int i = 0; i < output.Length; i++)
            {
                float v = original[c0 + i];
                output[i] = float.IsFinite(v) ? (float)(f[CenterOrigin.Pad(c0 + i, w, n1)] * down) : v;
            }
        }

        using var corrected = new Image<double>(psf.Box);
        double sum = 0;
        for (int r = 0; r < psf.Height; r++)
        {
            Span<double> row = corrected.RowAt(r);
            ReadOnlySpan<double> f = frame.ImaginaryRow(CenterOrigin.Pad(r, psf.Height, n0));
            for (int c = 0; c < psf.Width; c++) sum += row[c] = f[CenterOrigin.Pad(c, psf.Width, n1)];
        }
        // A correction of NaN variances is NaN everywhere: the cell keeps the uncorrected PSF rather than none.
        return new KernelImagePsf(double.IsFinite(sum) && sum != 0 ? corrected : psf, position); // normalised to unit sum
    }

    /// <summary>
    /// <c>calculateVariancePlane</c>: each input variance plane (non-finite pixels replaced by its clipped mean, then
    /// put back) convolved with the square of its overall kernel in image space, the two summed. Packed as pairs:
    /// the two overall kernels (real: φ and κ̂φ are Hermitian) in one inverse, their squares in one forward, the two
    /// variance planes in one forward, and the sum of both products in one inverse.
    /// </summary>
    private static void PropagateVariance(Image<float> v1, Image<float> v2, double mean1, double mean2, SpectralFrame kft, ReadOnlySpan<double> phi,
        SpectralFrame frame, Box box, Image<float> target, double divisor)
    {
        int n0 = frame.Rows, n1 = frame.Cols;
        double scale = 1.0 / (n0 * n1);
        using SpectralFrame kernels = SpectralFrame.Rent(n0, n1), squared2 = SpectralFrame.Rent(n0, n1), planes2 = SpectralFrame.Rent(n0, n1);

        // φ + i·κ̂φ → ifft: c1 = φ's kernel (real part), c2 = κ̂φ's (imaginary part).
        frame.ClearAsSpectrum();
        Span<double> fr = frame.Real, fi = frame.Imaginary, kr = kft.Real, ki = kft.Imaginary;
        for (int i = 0; i < fr.Length; i++)
        {
            double c = phi[i] * scale;
            fr[i] = c - ki[i] * c;
            fi[i] = kr[i] * c;
        }
        frame.Inverse();
        for (int i = 0; i < fr.Length; i++)
        {
            fr[i] *= fr[i];
            fi[i] *= fi[i];
        }
        frame.Forward();
        frame.SplitPair(squared2); // frame: fft(c1²), squared2: fft(c2²)

        PadCentreOrigin(v1, mean1, kernels, imaginary: false);
        PadCentreOrigin(v2, mean2, kernels, imaginary: true);
        kernels.Forward();
        kernels.SplitPair(planes2); // kernels: V̂1, planes2: V̂2

        Span<double> ar = kernels.Real, ai = kernels.Imaginary, br = squared2.Real, bi = squared2.Imaginary, cr = planes2.Real, ci = planes2.Imaginary;
        for (int i = 0; i < fr.Length; i++)
        {
            double re = fr[i] * ar[i] - fi[i] * ai[i] + br[i] * cr[i] - bi[i] * ci[i];
            double im = fr[i] * ai[i] + fi[i] * ar[i] + br[i] * ci[i] + bi[i] * cr[i];
            fr[i] = re * scale;
            fi[i] = im * scale;
        }
        frame.Inverse();

        int h = v1.Height, w = v1.Width, r0 = box.MinY - v1.Box.MinY, c0 = box.MinX - v1.Box.MinX;
        for (int j = 0; j < box.Height; j++)
        {
            ReadOnlySpan<float> a = v1.RowAt(r0 + j), b = v2.RowAt(r0 + j);
            ReadOnlySpan<double> f = frame.RealRow(CenterOrigin.Pad(r0 + j, h, n0));
            Span<float> output = target.RowAt(j);
            for (int i = 0; i < output.Length; i++)
            {
                float x = a[c0 + i], y = b[c0 + i];
                // NaN and infinity are kept as the reference keeps them (and NaN + anything is NaN).
                double sum = float.IsFinite(x) && float.IsFinite(y) ? f[CenterOrigin.Pad(c0 + i, w, n1)]
                    : (float.IsFinite(x) ? 0 : x) + (float.IsFinite(y) ? 0 : (double)y);
                output[i] = (float)(sum / divisor);
            }
        }
    }

    /// <summary><c>padCenterOriginArray</c> of a kernel into the real or imaginary part of a cleared spatial frame.</summary>
    private static void PadCentreOrigin(Image<double> kernel, SpectralFrame frame, bool imaginary)
    {
        int h = kernel.Height, w = kernel.Width;
        for (int r = 0; r < h; r++)
        {
            ReadOnlySpan<double> row = kernel.RowAt(r);
            int fr = CenterOrigin.Pad(r, h, frame.Rows);
            Span<double> f = imaginary ? frame.ImaginaryRow(fr) : frame.RealRow(fr);
            for (int c = 0; c < w; c++) f[CenterOrigin.Pad(c, w, frame.Cols)] = row[c];
        }
    }

    /// <summary><c>padCenterOriginArray</c> of a plane, non-finite pixels replaced by <paramref name="fill"/>.</summary>
    private static void PadCentreOrigin(Image<float> plane, double fill, SpectralFrame frame, bool imaginary)
    {
        int h = plane.Height, w = plane.Width;
        for (int r = 0; r < h; r++)
        {
            ReadOnlySpan<float> row = plane.RowAt(r);
            int fr = CenterOrigin.Pad(r, h, frame.Rows);
            Span<double> f = imaginary ? frame.ImaginaryRow(fr) : frame.RealRow(fr);
            for (int c = 0; c < w; c++) f[CenterOrigin.Pad(c, w, frame.Cols)] = float.IsFinite(row[c]) ? row[c] : fill;
        }
    }

    private static double Sum(Image<double> kernel)
    {
        double s = 0;
        for (int r = 0; r < kernel.Height; r++)
            foreach (double v in kernel.RowAt(r)) s += v;
        return s;
    }

    private static bool AllNaN(Image<float> image)
    {
        for (int r = 0; r < image.Height; r++)
            foreach (float v in image.RowAt(r))
                if (!float.IsNaN(v)) return false;
        return true;
    }
}
