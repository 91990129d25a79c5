using System.Buffers;
using System.Numerics;
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
/// <para>FFTs are MathNet's, through per-thread plans reused across cells (<see cref="FourierPlans"/>); work arrays
/// come from the array pool. Thread-safe; a cell's result does not depend on the thread or the tiling.</para>
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
        int n = n0 * n1;
        Complex[] kft = ArrayPool<Complex>.Shared.Rent(n), frame = ArrayPool<Complex>.Shared.Rent(n);
        double[] corr = ArrayPool<double>.Shared.Rent(n);
        try
        {
            // computeDiffimCorrection: φ, and the overall kernels of the unconvolved (φ) and convolved (κ̂φ) images.
            double kSum = Sum(kappa);
            PadKernel(kappa, kft, n0, n1);
            FourierPlans.Forward2D(kft, n0, n1);
            double numerator = varianceMean + targetVarianceMean * kSum * kSum;
            double w1 = 0, w2 = 0;
            for (int i = 0; i < n; i++)
            {
                double k2 = kft[i].Real * kft[i].Real + kft[i].Imaginary * kft[i].Imaginary;
                double c = Math.Sqrt(numerator / (varianceMean + targetVarianceMean * k2));
                corr[i] = c;
                w1 += c * c;
                w2 += k2 * c * c;
            }
            w1 /= n;
            w2 /= n;

            Box box = cell.Box;
            var image = Image<float>.Rent(box, clear: false);
            var variance = Image<float>.Rent(box, clear: false);
            var mask = Image<int>.Rent(box, clear: false);
            try
            {
                Correct(expandedCell.Image, box, corr, frame, n0, n1, image);
                // In science-convolution mode the A&L subtraction rescaled the difference by the kernel sum: the
                // variance is divided by its square (in float64, before the one rounding to float32).
                double scale = templateMatched ? 1.0 : kSum * kSum;
                if (Options.CompleteVarPlanePropagation)
                    PropagateVariance(unconvolved.Variance, convolved.Variance, varianceMean, targetVarianceMean, kft, corr, frame, n0, n1, box, variance, scale);
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
                Psf corrected = CorrectedPsf(psfImage, corr, frame, n0, n1, box.Center);
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
        finally
        {
            ArrayPool<Complex>.Shared.Return(kft);
            ArrayPool<Complex>.Shared.Return(frame);
            ArrayPool<double>.Shared.Return(corr);
        }
    }

    /// <summary>The sigma-clipped mean of <paramref name="exposure"/>'s variance plane (afw's <c>MEANCLIP</c>, 3σ, 3 iterations).</summary>
    public double VarianceMean(Exposure exposure)
    {
        ArgumentNullException.ThrowIfNull(exposure);
        return DiffimCell.ClippedVarianceMean(exposure, Options.IgnoreMaskPlanes);
    }

    /// <summary>
    /// <c>computeCorrectedImage</c>: the expanded cell's image with non-finite pixels set to the mean of the finite
    /// ones, centred on the frame origin, filtered by φ; the cell's pixels of the result, non-finite ones put back.
    /// </summary>
    private static void Correct(Image<float> source, Box box, double[] corr, Complex[] frame, int n0, int n1, Image<float> target)
    {
        int h = source.Height, w = source.Width;
        double fill = DiffimCell.FiniteMean(source);
        Array.Clear(frame, 0, n0 * n1);
        for (int r = 0; r < h; r++)
        {
            ReadOnlySpan<float> row = source.RowAt(r);
            int o = CenterOrigin.Pad(r, h, n0) * n1;
            for (int c = 0; c < w; c++)
            {
                float v = row[c];
                frame[o + CenterOrigin.Pad(c, w, n1)] = float.IsFinite(v) ? v : fill;
            }
        }
        FourierPlans.Forward2D(frame, n0, n1);
        for (int i = 0; i < n0 * n1; i++) frame[i] *= corr[i];
        int r0 = box.MinY - source.Box.MinY, c0 = box.MinX - source.Box.MinX;
        FourierPlans.Inverse2D(frame, n0, n1, CroppedRows(r0, box.Height, h, n0));
        for (int j = 0; j < box.Height; j++)
        {
            ReadOnlySpan<float> original = source.RowAt(r0 + j);
            Span<float> output = target.RowAt(j);
            int o = CenterOrigin.Pad(r0 + j, h, n0) * n1;
            for (int i = 0; i < output.Length; i++)
            {
                float v = original[c0 + i];
                output[i] = float.IsFinite(v) ? (float)frame[o + CenterOrigin.Pad(c0 + i, w, n1)].Real : v;
            }
        }
    }

    /// <summary>
    /// <c>calculateVariancePlane</c>: each input variance plane (non-finite pixels replaced by its clipped mean, then
    /// put back) convolved with the square of its overall kernel in image space.
    /// </summary>
    private static void PropagateVariance(Image<float> v1, Image<float> v2, double mean1, double mean2, Complex[] kft, double[] corr,
        Complex[] frame, int n0, int n1, Box box, Image<float> target, double divisor)
    {
        int n = n0 * n1;
        Complex[] squared = ArrayPool<Complex>.Shared.Rent(n);
        double[] sum = ArrayPool<double>.Shared.Rent(box.Width * box.Height);
        try
        {
            Array.Clear(sum, 0, box.Width * box.Height);
            for (int plane = 0; plane < 2; plane++)
            {
                // The overall kernel c = ifft(cft) in image space, squared, back to frequency space.
                for (int i = 0; i < n; i++) squared[i] = plane == 0 ? corr[i] : kft[i] * corr[i];
                FourierPlans.Inverse2D(squared, n0, n1);
                for (int i = 0; i < n; i++)
                {
                    double re = squared[i].Real;
                    squared[i] = re * re;
                }
                FourierPlans.Forward2D(squared, n0, n1);

                Image<float> v = plane == 0 ? v1 : v2;
                double fill = plane == 0 ? mean1 : mean2;
                int h = v.Height, w = v.Width;
                Array.Clear(frame, 0, n);
                for (int r = 0; r < h; r++)
                {
                    ReadOnlySpan<float> row = v.RowAt(r);
                    int o = CenterOrigin.Pad(r, h, n0) * n1;
                    for (int c = 0; c < w; c++) frame[o + CenterOrigin.Pad(c, w, n1)] = float.IsFinite(row[c]) ? row[c] : fill;
                }
                FourierPlans.Forward2D(frame, n0, n1);
                for (int i = 0; i < n; i++) frame[i] *= squared[i];
                int r0 = box.MinY - v.Box.MinY, c0 = box.MinX - v.Box.MinX;
                FourierPlans.Inverse2D(frame, n0, n1, CroppedRows(r0, box.Height, h, n0));
                for (int j = 0; j < box.Height; j++)
                {
                    ReadOnlySpan<float> original = v.RowAt(r0 + j);
                    int o = CenterOrigin.Pad(r0 + j, h, n0) * n1;
                    for (int i = 0; i < box.Width; i++)
                    {
                        float x = original[c0 + i];
                        // NaN and infinity are kept as the reference keeps them (and NaN + anything is NaN).
                        sum[j * box.Width + i] += float.IsFinite(x) ? frame[o + CenterOrigin.Pad(c0 + i, w, n1)].Real : x;
                    }
                }
            }
            for (int j = 0; j < box.Height; j++)
            {
                Span<float> output = target.RowAt(j);
                for (int i = 0; i < output.Length; i++) output[i] = (float)(sum[j * box.Width + i] / divisor);
            }
        }
        finally
        {
            ArrayPool<Complex>.Shared.Return(squared);
            ArrayPool<double>.Shared.Return(sum);
        }
    }

    /// <summary><c>computeCorrectedDiffimPsf</c>: the PSF filtered by φ (centred on the frame origin), cropped back, unit sum.</summary>
    private static KernelImagePsf CorrectedPsf(Image<double> psf, double[] corr, Complex[] frame, int n0, int n1, Point2D position)
    {
        int h = psf.Height, w = psf.Width;
        PadKernel(psf, frame, n0, n1);
        FourierPlans.Forward2D(frame, n0, n1);
        for (int i = 0; i < n0 * n1; i++) frame[i] *= corr[i];
        FourierPlans.Inverse2D(frame, n0, n1, CroppedRows(0, h, h, n0));
        using var corrected = new Image<double>(psf.Box);
        double sum = 0;
        for (int r = 0; r < h; r++)
        {
            Span<double> row = corrected.RowAt(r);
            int o = CenterOrigin.Pad(r, h, n0) * n1;
            for (int c = 0; c < w; c++) sum += row[c] = frame[o + CenterOrigin.Pad(c, w, n1)].Real;
        }
        // A correction of NaN variances is NaN everywhere: the cell keeps the uncorrected PSF rather than none.
        return new KernelImagePsf(double.IsFinite(sum) && sum != 0 ? corrected : psf, position); // normalised to unit sum
    }

    /// <summary>The frame rows that rows [first, first + count) of an h-row array read back after <c>padCenterOriginArray</c>.</summary>
    private static Func<int, bool> CroppedRows(int first, int count, int h, int n0)
    {
        var needed = new bool[n0];
        for (int r = first; r < first + count; r++) needed[CenterOrigin.Pad(r, h, n0)] = true;
        return r => needed[r];
    }

    private static void PadKernel(Image<double> kernel, Complex[] frame, int n0, int n1)
    {
        int h = kernel.Height, w = kernel.Width;
        Array.Clear(frame, 0, n0 * n1);
        for (int r = 0; r < h; r++)
        {
            ReadOnlySpan<double> row = kernel.RowAt(r);
            int o = CenterOrigin.Pad(r, h, n0) * n1;
            for (int c = 0; c < w; c++) frame[o + CenterOrigin.Pad(c, w, n1)] = row[c];
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
