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
/// <para>FFTs are the engine's own mixed-radix transforms (<see cref="SpectralFrame"/>: frames, plans and scratch per thread,
/// reused across cells), real planes packed in pairs: about half the transforms of one complex transform per plane. Thread-safe;
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

        using SpectralFrame pr = SpectralFrame.Rent(h, w), pn = SpectralFrame.Rent(h, w);
        using SpectralFrame a = SpectralFrame.Rent(h, w), b = SpectralFrame.Rent(h, w), o = SpectralFrame.Rent(h, w);
        // Both PSFs in one transform (similar magnitudes: a packed pair loses nothing).
        psf1.PlaceCentred(pr, imaginary: false);
        psf2.PlaceCentred(pr, imaginary: true);
        pr.Forward();
        pr.SplitPair(pn);
        double sr = sig2 * sig2 * fr * fr, sn = sig1 * sig1 * fn * fn;

        var image = Image<float>.Rent(c, clear: false);
        var variance = Image<float>.Rent(c, clear: false);
        var mask = Image<int>.Rent(c, clear: false);
        try
        {
            if (Options.DoScorr)
                Score(science, template, pr, pn, sr, sn, fr, fn, fd, a, b, o, c, image, variance);
            else
                Difference(science, template, pr, pn, sr, sn, fr, fn, fd, a, b, o, c, image, variance);
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

    /// <summary>sqrt of the sigma-clipped mean of the variance plane; 1 when that is NaN or 0 (a fully masked cell).</summary>
    public double Sigma(Exposure exposure)
    {
        ArgumentNullException.ThrowIfNull(exposure);
        double s = Math.Sqrt(DiffimCell.ClippedVarianceMean(exposure, Options.IgnoreMaskPlanes));
        return double.IsNaN(s) || s == 0 ? 1.0 : s;
    }

    /// <summary>
    /// <c>computeDiffimFourierSpace</c>: D = ifftshift(ifft(K̂_r·N̂ − K̂_n·R̂)) / F_D, its variance the same filters' sum on
    /// the variance planes. Science and template share a transform (then split), for the image and for the variance
    /// planes; D and its variance are real, so they share the one inverse (D the real part, the variance the imaginary).
    /// </summary>
    private static void Difference(Exposure science, Exposure template, SpectralFrame pr, SpectralFrame pn, double sr, double sn, double fr, double fn,
        double fd, SpectralFrame a, SpectralFrame b, SpectralFrame o, Box cell, Image<float> image, Image<float> variance)
    {
        // K̂_r = F_r·P̂_r / denominator, K̂_n = F_n·P̂_n / denominator, with 1/F_D and the inverse's 1/N folded in; in place of P̂.
        double scale = 1.0 / (science.Height * science.Width * fd);
        Span<double> rr = pr.Real, ri = pr.Imaginary, nr = pn.Real, ni = pn.Imaginary;
        for (int i = 0; i < rr.Length; i++)
        {
            double d = Denominator(rr[i], ri[i], nr[i], ni[i], sr, sn), kr = fr * scale / d, kn = fn * scale / d;
            (rr[i], ri[i], nr[i], ni[i]) = (rr[i] * kr, ri[i] * kr, nr[i] * kn, ni[i] * kn);
        }
        LoadPair(science.Image, template.Image, a);
        a.Forward();
        a.SplitPair(b); // a: N̂, b: R̂
        o.ClearAsSpectrum();
        Span<double> ar = a.Real, ai = a.Imaginary, br = b.Real, bi = b.Imaginary, or = o.Real, oi = o.Imaginary;
        for (int i = 0; i < or.Length; i++)
        {
            or[i] = rr[i] * ar[i] - ri[i] * ai[i] - (nr[i] * br[i] - ni[i] * bi[i]);
            oi[i] = rr[i] * ai[i] + ri[i] * ar[i] - (nr[i] * bi[i] + ni[i] * br[i]);
        }
        LoadPair(science.Variance, template.Variance, a);
        a.Forward();
        a.SplitPair(b);
        for (int i = 0; i < or.Length; i++)
        {
            // o += i·(K̂_r·V̂_n + K̂_n·V̂_r)
            double yr = rr[i] * ar[i] - ri[i] * ai[i] + nr[i] * br[i] - ni[i] * bi[i];
            double yi = rr[i] * ai[i] + ri[i] * ar[i] + nr[i] * bi[i] + ni[i] * br[i];
            or[i] -= yi;
            oi[i] += yr;
        }
        o.Inverse();
        Unshift(o, imaginary: false, science.Box, cell, image, 1.0, sqrt: false);
        Unshift(o, imaginary: true, science.Box, cell, variance, 1.0, sqrt: false);
    }

    /// <summary>
    /// <c>computeScorrFourierSpace</c> (no astrometric-noise term): S and its <c>S_var</c>, with the same pairings as
    /// <see cref="Difference"/>; the two kernels' inverse transforms and their squares' forward ones are pairs too.
    /// </summary>
    private static void Score(Exposure science, Exposure template, SpectralFrame pr, SpectralFrame pn, double sr, double sn, double fr, double fn,
        double fd, SpectralFrame a, SpectralFrame b, SpectralFrame o, Box cell, Image<float> image, Image<float> variance)
    {
        double inverseN = 1.0 / (science.Height * science.Width);
        Span<double> rr = pr.Real, ri = pr.Imaginary, nr = pn.Real, ni = pn.Imaginary;
        for (int i = 0; i < rr.Length; i++)
        {
            double d = Denominator(rr[i], ri[i], nr[i], ni[i], sr, sn), d2 = d * d;
            double pr2 = rr[i] * rr[i] + ri[i] * ri[i], pn2 = nr[i] * nr[i] + ni[i] * ni[i];
            // K̂_r = F_r·F_n²·conj(P̂_r)·|P̂_n|² / d², K̂_n = F_n·F_r²·conj(P̂_n)·|P̂_r|² / d², in place of P̂.
            double kr = fr * fn * fn * pn2 / d2, kn = fn * fr * fr * pr2 / d2;
            (rr[i], ri[i], nr[i], ni[i]) = (rr[i] * kr, -ri[i] * kr, nr[i] * kn, -ni[i] * kn);
        }
        // S = ifftshift(ifft(K̂_n·N̂ − K̂_r·R̂))·F_D
        LoadPair(science.Image, template.Image, a);
        a.Forward();
        a.SplitPair(b); // a: N̂, b: R̂
        o.ClearAsSpectrum();
        Span<double> ar = a.Real, ai = a.Imaginary, br = b.Real, bi = b.Imaginary, or = o.Real, oi = o.Imaginary;
        double scale = fd * inverseN;
        for (int i = 0; i < or.Length; i++)
        {
            or[i] = (nr[i] * ar[i] - ni[i] * ai[i] - (rr[i] * br[i] - ri[i] * bi[i])) * scale;
            oi[i] = (nr[i] * ai[i] + ni[i] * ar[i] - (rr[i] * bi[i] + ri[i] * br[i])) * scale;
        }

        // The kernels in image space, ifft(K̂_r) + i·ifft(K̂_n) (both real), squared, back as fft(k_r²) and fft(k_n²).
        a.ClearAsSpectrum();
        for (int i = 0; i < ar.Length; i++)
        {
            ar[i] = (rr[i] - ni[i]) * inverseN;
            ai[i] = (ri[i] + nr[i]) * inverseN;
        }
        a.Inverse();
        for (int i = 0; i < ar.Length; i++)
        {
            ar[i] *= ar[i];
            ai[i] *= ai[i];
        }
        a.Forward();
        a.SplitPair(b); // a: fft(k_r²), b: fft(k_n²)

        // S_var = sqrt(ifftshift(ifft(fft(k_r²)·V̂_r + fft(k_n²)·V̂_n)))·F_D, as the imaginary part of the same inverse.
        LoadPair(template.Variance, science.Variance, pr);
        pr.Forward();
        pr.SplitPair(pn); // pr: V̂_r, pn: V̂_n
        for (int i = 0; i < or.Length; i++)
        {
            double yr = ar[i] * rr[i] - ai[i] * ri[i] + br[i] * nr[i] - bi[i] * ni[i];
            double yi = ar[i] * ri[i] + ai[i] * rr[i] + br[i] * ni[i] + bi[i] * nr[i];
            or[i] -= yi * inverseN;
            oi[i] += yr * inverseN;
        }
        o.Inverse();
        Unshift(o, imaginary: false, science.Box, cell, image, 1.0, sqrt: false);
        Unshift(o, imaginary: true, science.Box, cell, variance, fd, sqrt: true);
    }

    /// <summary><c>computeDiffimPsf</c> (eq. 14) on the PSF-sized arrays: P_D = ifftshift(ifft(F_r·F_n·P̂_r·P̂_n / (F_D·denominator))).</summary>
    private static KernelImagePsf DifferencePsf(KernelArray psf1, KernelArray psf2, double sig1, double sig2, double fr, double fn, double fd, Point2D position)
    {
        int h = psf1.Rows, w = psf1.Cols;
        using SpectralFrame p = SpectralFrame.Rent(h, w), q = SpectralFrame.Rent(h, w);
        for (int r = 0; r < h; r++)
        {
            psf1.Values.AsSpan(r * w, w).CopyTo(p.RealRow(r));
            psf2.Values.AsSpan(r * w, w).CopyTo(p.ImaginaryRow(r));
        }
        p.Forward();
        p.SplitPair(q);
        double sr = sig2 * sig2 * fr * fr, sn = sig1 * sig1 * fn * fn, scale = fr * fn / (fd * h * w);
        Span<double> pr = p.Real, pi = p.Imaginary, qr = q.Real, qi = q.Imaginary;
        for (int i = 0; i < pr.Length; i++)
        {
            double f = scale / Denominator(pr[i], pi[i], qr[i], qi[i], sr, sn);
            (pr[i], pi[i]) = ((pr[i] * qr[i] - pi[i] * qi[i]) * f, (pr[i] * qi[i] + pi[i] * qr[i]) * f);
        }
        p.Inverse();
        using var kernel = new Image<double>(w, h);
        for (int r = 0; r < h; r++)
        {
            Span<double> row = kernel.RowAt(r);
            ReadOnlySpan<double> source = p.RealRow(CenterOrigin.IfftShift(r, h));
            for (int col = 0; col < w; col++) row[col] = source[CenterOrigin.IfftShift(col, w)];
        }
        return new KernelImagePsf(kernel, position);
    }

    private static double Denominator(double prRe, double prIm, double pnRe, double pnIm, double sr, double sn) =>
        Math.Sqrt(sr * (prRe * prRe + prIm * prIm) + sn * (pnRe * pnRe + pnIm * pnIm));

    /// <summary>
    /// Two planes of one size into a frame, <paramref name="first"/> as the real part and <paramref name="second"/> as
    /// the imaginary part, non-finite pixels of each set to the mean of its finite ones (the reference's NaN fix).
    /// </summary>
    private static void LoadPair(Image<float> first, Image<float> second, SpectralFrame frame)
    {
        frame.Clear();
        Load(first, frame, imaginary: false);
        Load(second, frame, imaginary: true);
    }

    private static void Load(Image<float> plane, SpectralFrame frame, bool imaginary)
    {
        double fill = DiffimCell.FiniteMean(plane);
        for (int r = 0; r < plane.Height; r++)
        {
            ReadOnlySpan<float> row = plane.RowAt(r);
            Span<double> f = imaginary ? frame.ImaginaryRow(r) : frame.RealRow(r);
            for (int c = 0; c < row.Length; c++) f[c] = float.IsFinite(row[c]) ? row[c] : fill;
        }
    }

    /// <summary>
    /// The cell's pixels of <c>ifftshift</c> of one part of the frame (which covers <paramref name="frameBox"/>), times
    /// <paramref name="factor"/>, after a square root with <paramref name="sqrt"/> (the real part of numpy's complex
    /// square root: 0 below zero).
    /// </summary>
    private static void Unshift(SpectralFrame frame, bool imaginary, Box frameBox, Box cell, Image<float> target, double factor, bool sqrt)
    {
        int h = frameBox.Height, w = frameBox.Width;
        for (int j = 0; j < cell.Height; j++)
        {
            Span<float> row = target.RowAt(j);
            int sourceRow = CenterOrigin.IfftShift(cell.MinY - frameBox.MinY + j, h);
            ReadOnlySpan<double> source = imaginary ? frame.ImaginaryRow(sourceRow) : frame.RealRow(sourceRow);
            for (int i = 0; i < row.Length; i++)
            {
                double z = source[CenterOrigin.IfftShift(cell.MinX - frameBox.MinX + i, w)];
                if (sqrt) z = z < 0 ? 0 : Math.Sqrt(z);
                row[i] = (float)(z * factor);
            }
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

        /// <summary>
        /// <c>_padPsfToSize</c> into one part of a cleared frame of the expanded cell's size, then the reference's floor of
        /// the whole frame at 1e-4 (zeros included).
        /// </summary>
        public void PlaceCentred(SpectralFrame frame, bool imaginary)
        {
            int h = frame.Rows, w = frame.Cols;
            for (int r = 0; r < h; r++) (imaginary ? frame.ImaginaryRow(r) : frame.RealRow(r)).Fill(MinKernel);
            for (int r = 0; r < Rows; r++)
            {
                int o = CenterOrigin.Centred(r, Rows, h);
                Span<double> f = imaginary ? frame.ImaginaryRow(o) : frame.RealRow(o);
                for (int c = 0; c < Cols; c++)
                {
                    double v = Values[r * Cols + c];
                    f[CenterOrigin.Centred(c, Cols, w)] = Math.Abs(v) <= MinKernel ? MinKernel : v;
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
