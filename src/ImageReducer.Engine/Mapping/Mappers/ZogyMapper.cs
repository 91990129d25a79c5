using System.Buffers;
using System.Numerics;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Mapping.Auxiliary;
using ImageReducer.Engine.Mapping.Spectral;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Engine.Mapping.Mappers;

/// <summary>
/// <c>zogy</c>: ZOGY image differencing (Zackay, Ofek &amp; Gal-Yam 2016) per cell, as LSST's <c>ZogyMapper</c> in
/// Fourier space: the proper difference image D (eq. 13) with its PSF (eq. 14), or with <c>doScorr</c> the score
/// image S (eq. 12) whose variance plane holds the reference's <c>S_var</c> (the denominator of eq. 25). The main
/// exposure is the science image ("new", N); the auxiliary exposure <c>template</c> ("reference", R) is on its
/// pixel grid; both need a PSF.
/// </summary>
/// <remarks>
/// <para>Per cell, on the expanded cell: both PSFs at the cell's centre (the reference's integer centre of the cell
/// box), made square, 41 × 41 measured PSFs filtered (<c>doFilterPsfs</c>), padded to one size, their peaks aligned,
/// floored at 1e-4; σ_r, σ_n the square roots of the sigma-clipped variance means (1 when NaN or 0); each PSF placed
/// at the frame centre of the expanded cell's size (<c>_padPsfToSize</c>) and floored at 1e-4 again — the whole
/// frame, as the reference does — then the transforms; non-finite pixels set to the finite mean first. The result
/// is moved back by <c>ifftshift</c> and cut to the cell. The mask is the OR of both masks (the template's bits by
/// plane name). A cell whose expanded cell is smaller than the template PSF comes back unchanged, as in the
/// reference.</para>
/// <para>FFTs are MathNet's through per-thread plans reused across cells (<see cref="FourierPlans"/>). Thread-safe;
/// a cell's result does not depend on the thread or the tiling.</para>
/// </remarks>
[MapperName("zogy", Description = "ZOGY proper difference image D (or score image S with doScorr) per cell (LSST ZogyMapper); auxiliary: template.")]
public sealed class ZogyMapper : IMapper
{
    /// <summary>The template ("reference") exposure, on the science exposure's pixel grid, with a PSF.</summary>
    public const string Template = "template";

    /// <summary>PSF values below this are raised to it (the reference's <c>MIN_KERNEL</c>): no division by zero.</summary>
    public const double MinKernel = 1.0e-4;

    private static readonly IReadOnlyList<AuxiliaryInput> Inputs =
        [new AuxiliaryInput(Template, AuxiliaryKind.Exposure, "the template (reference) exposure on the science image's pixel grid", NeedsPsf: true)];

    /// <summary>Creates the mapper; the options are validated here.</summary>
    public ZogyMapper(ZogyMapperOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>The validated options.</summary>
    public ZogyMapperOptions Options { get; }

    /// <inheritdoc/>
    public IReadOnlyList<AuxiliaryInput> AuxiliaryInputs => Inputs;

    /// <inheritdoc/>
    public MapResult Map(Exposure cell, Exposure expandedCell, MapContext context)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(expandedCell);
        ArgumentNullException.ThrowIfNull(context);
        context.CancellationToken.ThrowIfCancellationRequested();
        Exposure science = expandedCell, template = context.Auxiliary.Exposure(Template);
        Psf sciencePsf = cell.Psf ?? throw AuxiliaryInputException.MainWithoutPsf(AuxiliaryData.NameOf(this));
        Psf templatePsf = template.Psf ?? throw AuxiliaryInputException.NoPsf(AuxiliaryData.NameOf(this), Template, "");
        Box c = cell.Box;
        // The reference's centre: (getBeginX() + getEndX()) // 2 of the cell box (floor division).
        var centre = new Point2D(Math.Floor((c.MinX + c.MaxX + 1) / 2.0), Math.Floor((c.MinY + c.MaxY + 1) / 2.0));

        KernelArray psf2 = KernelArray.Square(sciencePsf, centre), psf1 = KernelArray.Square(templatePsf, centre);
        int h = science.Height, w = science.Width;
        if (w < psf1.Rows || h < psf1.Cols) return new ExposureResult(DiffimCell.Unchanged(cell));
        if (Options.DoFilterPsfs)
        {
            psf1 = psf1.Filtered();
            psf2 = psf2.Filtered();
        }
        else
        {
            // Without filtering the reference hands ZogyTask no PSF arrays, and it evaluates both PSFs itself at the
            // expanded box's centre (float), unsquared.
            Box e = expandedCell.Box;
            var expandedCentre = new Point2D((e.MinX + e.MaxX + 1) / 2.0, (e.MinY + e.MaxY + 1) / 2.0);
            psf1 = KernelArray.Of(templatePsf, expandedCentre);
            psf2 = KernelArray.Of(sciencePsf, expandedCentre);
        }
        (psf1, psf2) = KernelArray.Matched(psf1, psf2);

        double sig1 = Sigma(template), sig2 = Sigma(science);
        double fr = Options.TemplateFluxScaling, fn = Options.ScienceFluxScaling;
        double fd = fr * fn / Math.Sqrt(sig2 * sig2 * fr * fr + sig1 * sig1 * fn * fn);

        int n = h * w;
        Complex[] prHat = ArrayPool<Complex>.Shared.Rent(n), pnHat = ArrayPool<Complex>.Shared.Rent(n);
        Complex[] a = ArrayPool<Complex>.Shared.Rent(n), b = ArrayPool<Complex>.Shared.Rent(n);
        try
        {
            psf1.PlaceCentred(prHat, h, w);
            psf2.PlaceCentred(pnHat, h, w);
            FourierPlans.Forward2D(prHat, h, w);
            FourierPlans.Forward2D(pnHat, h, w);
            double sr = sig2 * sig2 * fr * fr, sn = sig1 * sig1 * fn * fn;

            var image = Image<float>.Rent(c, clear: false);
            var variance = Image<float>.Rent(c, clear: false);
            var mask = Image<int>.Rent(c, clear: false);
            try
            {
                if (Options.DoScorr)
                    Score(science, template, prHat, pnHat, sr, sn, fr, fn, fd, a, b, c, image, variance);
                else
                    Difference(science, template, prHat, pnHat, sr, sn, fr, fn, fd, a, b, c, image, variance);
                Exposure templateCell = template.Sub(c);
                var bits = new MaskTranslation(templateCell.Mask.Planes, cell.Mask.Planes);
                for (int j = 0; j < c.Height; j++)
                {
                    Span<int> m = mask.RowAt(j);
                    cell.Mask.Pixels.RowAt(j).CopyTo(m);
                    bits.OrInto(templateCell.Mask.Pixels.RowAt(j), m);
                }
                Psf psf = DifferencePsf(psf1, psf2, sig1, sig2, fr, fn, fd, c.Center);
                return new ExposureResult(new Exposure(new MaskedImage(image, new Mask(mask, cell.Mask.Planes), variance), psf, cell.Wcs, cell.Metadata));
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
            ArrayPool<Complex>.Shared.Return(prHat);
            ArrayPool<Complex>.Shared.Return(pnHat);
            ArrayPool<Complex>.Shared.Return(a);
            ArrayPool<Complex>.Shared.Return(b);
        }
    }

    /// <summary>sqrt of the sigma-clipped mean of the variance plane; 1 when that is NaN or 0 (a fully masked cell).</summary>
    public double Sigma(Exposure exposure)
    {
        ArgumentNullException.ThrowIfNull(exposure);
        double s = Math.Sqrt(DiffimCell.ClippedVarianceMean(exposure, Options.IgnoreMaskPlanes));
        return double.IsNaN(s) || s == 0 ? 1.0 : s;
    }

    /// <summary><c>computeDiffimFourierSpace</c>: D = ifftshift(ifft(K̂_r·N̂ − K̂_n·R̂)) / F_D, its variance the same filters' sum on the variance planes.</summary>
    private static void Difference(Exposure science, Exposure template, Complex[] prHat, Complex[] pnHat, double sr, double sn, double fr, double fn,
        double fd, Complex[] a, Complex[] b, Box cell, Image<float> image, Image<float> variance)
    {
        int h = science.Height, w = science.Width, n = h * w;
        for (int plane = 0; plane < 2; plane++)
        {
            bool isVariance = plane == 1;
            Load(isVariance ? science.Variance : science.Image, a);
            Load(isVariance ? template.Variance : template.Image, b);
            FourierPlans.Forward2D(a, h, w);
            FourierPlans.Forward2D(b, h, w);
            for (int i = 0; i < n; i++)
            {
                double denom = Denominator(prHat[i], pnHat[i], sr, sn);
                Complex kr = fr * prHat[i] / denom, kn = fn * pnHat[i] / denom;
                a[i] = isVariance ? kr * a[i] + kn * b[i] : kr * a[i] - kn * b[i];
            }
            FourierPlans.Inverse2D(a, h, w, ShiftedRows(science.Box, cell));
            Unshift(a, science.Box, cell, isVariance ? variance : image, z => z.Real / fd);
        }
    }

    /// <summary><c>computeScorrFourierSpace</c> (no astrometric-noise term): S and its <c>S_var</c>.</summary>
    private static void Score(Exposure science, Exposure template, Complex[] prHat, Complex[] pnHat, double sr, double sn, double fr, double fn,
        double fd, Complex[] a, Complex[] b, Box cell, Image<float> image, Image<float> variance)
    {
        int h = science.Height, w = science.Width, n = h * w;
        Complex[] kr = ArrayPool<Complex>.Shared.Rent(n), kn = ArrayPool<Complex>.Shared.Rent(n);
        try
        {
            for (int i = 0; i < n; i++)
            {
                Complex pr = prHat[i], pn = pnHat[i];
                double d = Denominator(pr, pn, sr, sn), d2 = d * d;
                double pr2 = pr.Real * pr.Real + pr.Imaginary * pr.Imaginary, pn2 = pn.Real * pn.Real + pn.Imaginary * pn.Imaginary;
                kr[i] = fr * fn * fn * Complex.Conjugate(pr) * pn2 / d2;
                kn[i] = fn * fr * fr * Complex.Conjugate(pn) * pr2 / d2;
            }
            // S = ifftshift(ifft(K̂_n·N̂ − K̂_r·R̂))·F_D
            Load(science.Image, a);
            Load(template.Image, b);
            FourierPlans.Forward2D(a, h, w);
            FourierPlans.Forward2D(b, h, w);
            for (int i = 0; i < n; i++) a[i] = kn[i] * a[i] - kr[i] * b[i];
            FourierPlans.Inverse2D(a, h, w, ShiftedRows(science.Box, cell));
            Unshift(a, science.Box, cell, image, z => (z * fd).Real);

            // S_var = sqrt(ifftshift(ifft(fft(ifft(K̂_r)²)·V̂_r + fft(ifft(K̂_n)²)·V̂_n)))·F_D
            for (int k = 0; k < 2; k++)
            {
                Complex[] kernel = k == 0 ? kr : kn;
                FourierPlans.Inverse2D(kernel, h, w);
                for (int i = 0; i < n; i++) kernel[i] *= kernel[i];
                FourierPlans.Forward2D(kernel, h, w);
            }
            Load(template.Variance, b);
            Load(science.Variance, a);
            FourierPlans.Forward2D(b, h, w);
            FourierPlans.Forward2D(a, h, w);
            for (int i = 0; i < n; i++) a[i] = kr[i] * b[i] + kn[i] * a[i];
            FourierPlans.Inverse2D(a, h, w, ShiftedRows(science.Box, cell));
            Unshift(a, science.Box, cell, variance, z => (Complex.Sqrt(z) * fd).Real);
        }
        finally
        {
            ArrayPool<Complex>.Shared.Return(kr);
            ArrayPool<Complex>.Shared.Return(kn);
        }
    }

    /// <summary><c>computeDiffimPsf</c> (eq. 14) on the PSF-sized arrays: P_D = ifftshift(ifft(F_r·F_n·P̂_r·P̂_n / (F_D·denominator))).</summary>
    private static KernelImagePsf DifferencePsf(KernelArray psf1, KernelArray psf2, double sig1, double sig2, double fr, double fn, double fd, Point2D position)
    {
        int h = psf1.Rows, w = psf1.Cols, n = h * w;
        var pr = new Complex[n];
        var pn = new Complex[n];
        for (int i = 0; i < n; i++) (pr[i], pn[i]) = (psf1.Values[i], psf2.Values[i]);
        FourierPlans.Forward2D(pr, h, w);
        FourierPlans.Forward2D(pn, h, w);
        double sr = sig2 * sig2 * fr * fr, sn = sig1 * sig1 * fn * fn;
        for (int i = 0; i < n; i++) pr[i] = fr * fn * pr[i] * pn[i] / (fd * Denominator(pr[i], pn[i], sr, sn));
        FourierPlans.Inverse2D(pr, h, w);
        using var kernel = new Image<double>(w, h);
        for (int r = 0; r < h; r++)
        {
            Span<double> row = kernel.RowAt(r);
            int source = CenterOrigin.IfftShift(r, h) * w;
            for (int col = 0; col < w; col++) row[col] = pr[source + CenterOrigin.IfftShift(col, w)].Real;
        }
        return new KernelImagePsf(kernel, position);
    }

    /// <summary>The frame rows <see cref="Unshift"/> reads for the cell's rows.</summary>
    private static Func<int, bool> ShiftedRows(Box frameBox, Box cell)
    {
        var needed = new bool[frameBox.Height];
        for (int j = 0; j < cell.Height; j++) needed[CenterOrigin.IfftShift(cell.MinY - frameBox.MinY + j, frameBox.Height)] = true;
        return r => needed[r];
    }

    private static double Denominator(Complex pr, Complex pn, double sr, double sn) =>
        Math.Sqrt(sr * (pr.Real * pr.Real + pr.Imaginary * pr.Imaginary) + sn * (pn.Real * pn.Real + pn.Imaginary * pn.Imaginary));

    /// <summary>A plane into a frame of its own size, non-finite pixels set to the mean of the finite ones (the reference's NaN fix).</summary>
    private static void Load(Image<float> plane, Complex[] frame)
    {
        double fill = DiffimCell.FiniteMean(plane);
        int w = plane.Width;
        for (int r = 0; r < plane.Height; r++)
        {
            ReadOnlySpan<float> row = plane.RowAt(r);
            for (int c = 0; c < w; c++) frame[r * w + c] = float.IsFinite(row[c]) ? row[c] : fill;
        }
    }

    /// <summary>The cell's pixels of <c>ifftshift(frame)</c> (the frame covers <paramref name="frameBox"/>), through <paramref name="value"/>.</summary>
    private static void Unshift(Complex[] frame, Box frameBox, Box cell, Image<float> target, Func<Complex, double> value)
    {
        int h = frameBox.Height, w = frameBox.Width;
        for (int j = 0; j < cell.Height; j++)
        {
            Span<float> row = target.RowAt(j);
            int source = CenterOrigin.IfftShift(cell.MinY - frameBox.MinY + j, h) * w;
            for (int i = 0; i < row.Length; i++) row[i] = (float)value(frame[source + CenterOrigin.IfftShift(cell.MinX - frameBox.MinX + i, w)]);
        }
    }

    /// <summary>A PSF image as the reference's numpy array (row-major, rows = y), with the reference's preparation steps.</summary>
    private sealed record KernelArray(double[] Values, int Rows, int Cols)
    {
        /// <summary><c>computeKernelImage(centre)</c> made square by zero rows (bottom) or columns (right): <c>_makePsfSquare</c>.</summary>
        public static KernelArray Square(Psf psf, Point2D centre)
        {
            using Image<double> k = psf.ComputeKernelImage(centre);
            int size = Math.Max(k.Width, k.Height);
            var values = new double[size * size];
            for (int r = 0; r < k.Height; r++) k.RowAt(r).CopyTo(values.AsSpan(r * size, k.Width));
            return new KernelArray(values, size, size);
        }

        /// <summary><c>computeKernelImage(centre)</c> as it is.</summary>
        public static KernelArray Of(Psf psf, Point2D centre)
        {
            using Image<double> k = psf.ComputeKernelImage(centre);
            var values = new double[k.Width * k.Height];
            for (int r = 0; r < k.Height; r++) k.RowAt(r).CopyTo(values.AsSpan(r * k.Width, k.Width));
            return new KernelArray(values, k.Height, k.Width);
        }

        /// <summary><c>_filterPsf</c>: a 41-row (measured) PSF loses its negatives and a 10-pixel rim, then is renormalised.</summary>
        public KernelArray Filtered()
        {
            if (Rows != 41) return this;
            var v = (double[])Values.Clone();
            for (int r = 0; r < Rows; r++)
                for (int c = 0; c < Cols; c++)
                {
                    int i = r * Cols + c;
                    if (v[i] < 0 || r < 10 || c < 10 || (r >= 31 && r < 41) || (c >= 31 && c < 41)) v[i] = 0;
                }
            double sum = v.Sum();
            for (int i = 0; i < v.Length; i++) v[i] /= sum;
            return this with { Values = v };
        }

        /// <summary>
        /// The setup of <c>ZogyTask</c>: both padded (bottom, right) to one size, the one whose peak is higher or to the
        /// left shifted a row or column at a time until the peaks coincide, then every value below 1e-4 raised to it.
        /// </summary>
        public static (KernelArray, KernelArray) Matched(KernelArray a, KernelArray b)
        {
            int rows = Math.Max(a.Rows, b.Rows), cols = Math.Max(a.Cols, b.Cols);
            double[] p1 = a.PaddedTo(rows, cols), p2 = b.PaddedTo(rows, cols);
            var (r1, c1) = ArgMax(p1, cols);
            var (r2, c2) = ArgMax(p2, cols);
            while (r1 != r2 || c1 != c2)
            {
                if (r1 > r2) ShiftRows(p2, rows, cols);
                else if (r1 < r2) ShiftRows(p1, rows, cols);
                if (c1 > c2) ShiftCols(p2, rows, cols);
                else if (c1 < c2) ShiftCols(p1, rows, cols);
                (r1, c1) = ArgMax(p1, cols);
                (r2, c2) = ArgMax(p2, cols);
            }
            for (int i = 0; i < p1.Length; i++)
            {
                if (p1[i] < MinKernel) p1[i] = MinKernel;
                if (p2[i] < MinKernel) p2[i] = MinKernel;
            }
            return (new KernelArray(p1, rows, cols), new KernelArray(p2, rows, cols));
        }

        /// <summary><c>_padPsfToSize</c> into an h × w frame, then the reference's floor of the whole frame at 1e-4 (zeros included).</summary>
        public void PlaceCentred(Complex[] frame, int h, int w)
        {
            Array.Fill(frame, new Complex(MinKernel, 0), 0, h * w);
            for (int r = 0; r < Rows; r++)
            {
                int o = CenterOrigin.Centred(r, Rows, h) * w;
                for (int c = 0; c < Cols; c++)
                {
                    double v = Values[r * Cols + c];
                    frame[o + CenterOrigin.Centred(c, Cols, w)] = Math.Abs(v) <= MinKernel ? MinKernel : v;
                }
            }
        }

        private double[] PaddedTo(int rows, int cols)
        {
            var p = new double[rows * cols];
            for (int r = 0; r < Rows; r++) Values.AsSpan(r * Cols, Cols).CopyTo(p.AsSpan(r * cols, Cols));
            return p;
        }

        private static (int Row, int Col) ArgMax(double[] p, int cols)
        {
            int best = 0;
            for (int i = 1; i < p.Length; i++)
                if (p[i] > p[best]) best = i;
            return (best / cols, best % cols);
        }

        // psf[1:, :] = psf[:-1, :]: every row moves down one, the first row stays.
        private static void ShiftRows(double[] p, int rows, int cols) => p.AsSpan(0, (rows - 1) * cols).CopyTo(p.AsSpan(cols));

        // psf[:, 1:] = psf[:, :-1]
        private static void ShiftCols(double[] p, int rows, int cols)
        {
            for (int r = 0; r < rows; r++) p.AsSpan(r * cols, cols - 1).CopyTo(p.AsSpan(r * cols + 1));
        }
    }
}
