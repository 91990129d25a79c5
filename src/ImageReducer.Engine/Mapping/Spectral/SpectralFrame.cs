namespace ImageReducer.Engine.Mapping.Spectral;

/// <summary>
/// A complex Rows × Cols frame for 2-D discrete Fourier transforms (<c>numpy.fft.fft2</c> conventions, unscaled both
/// ways), real and imaginary parts in separate arrays. In the spatial layout, element (r, c) is at
/// <c>r·SpatialStride + c</c>; <see cref="Forward"/> leaves the spectrum transposed, frequency (k0, k1) at
/// <c>k1·SpectralStride + k0</c> (<see cref="SpectralIndex"/>), which point-wise products do not mind as long as every
/// operand is a spectrum of the same size; <see cref="Inverse"/> brings it back to the spatial layout.
/// </summary>
/// <remarks>
/// <para>A transform is a vectorised column pass (<see cref="FftPlan"/>, all columns at once), a transpose, and a
/// second column pass. Strides are padded to a multiple of <see cref="FftPlan.LaneMultiple"/>; the padding lanes
/// hold zeros or values nothing reads.</para>
/// <para>Frames come from a per-thread pool (<see cref="Rent"/>, returned by <see cref="Dispose"/>): a run over
/// cells of one size allocates its frames, plans and scratch once per worker thread. Not thread-safe: rent, use and
/// dispose on one thread.</para>
/// </remarks>
public sealed class SpectralFrame : IDisposable
{
    private readonly SpectralWorkspace owner;
    private readonly double[] re, im;

    internal SpectralFrame(SpectralWorkspace owner, int rows, int cols)
    {
        this.owner = owner;
        Rows = rows;
        Cols = cols;
        SpatialStride = PadLanes(cols);
        SpectralStride = PadLanes(rows);
        Capacity = Math.Max(rows * SpatialStride, cols * SpectralStride);
        re = new double[Capacity];
        im = new double[Capacity];
    }

    /// <summary>Rows (the first numpy axis, length of the column transforms).</summary>
    public int Rows { get; }

    /// <summary>Columns (the second numpy axis).</summary>
    public int Cols { get; }

    /// <summary>Doubles per row in the spatial layout (Cols rounded up).</summary>
    public int SpatialStride { get; }

    /// <summary>Doubles per row of the transposed spectral layout (Rows rounded up).</summary>
    public int SpectralStride { get; }

    /// <summary>Whether the frame holds a spectrum (transposed layout) rather than spatial values.</summary>
    public bool IsSpectral { get; private set; }

    /// <summary>Length of the arrays.</summary>
    internal int Capacity { get; }

    /// <summary>The real parts, in the current layout.</summary>
    public Span<double> Real => re;

    /// <summary>The imaginary parts, in the current layout.</summary>
    public Span<double> Imaginary => im;

    /// <summary>A frame of the calling thread's pool, cleared, in the spatial layout.</summary>
    public static SpectralFrame Rent(int rows, int cols) => SpectralWorkspace.Current.Rent(rows, cols);

    /// <summary>Index of frequency (k0, k1) in the spectral layout.</summary>
    public int SpectralIndex(int k0, int k1) => k1 * SpectralStride + k0;

    /// <summary>Zeros every value and returns to the spatial layout.</summary>
    public void Clear()
    {
        Array.Clear(re);
        Array.Clear(im);
        IsSpectral = false;
    }

    /// <summary>Zeros every value and switches to the spectral layout, for a spectrum built point by point.</summary>
    public void ClearAsSpectrum()
    {
        Clear();
        IsSpectral = true;
    }

    /// <summary>Spatial row <paramref name="r"/> of the real parts.</summary>
    public Span<double> RealRow(int r) => Spatial().re.AsSpan(r * SpatialStride, Cols);

    /// <summary>Spatial row <paramref name="r"/> of the imaginary parts.</summary>
    public Span<double> ImaginaryRow(int r) => Spatial().im.AsSpan(r * SpatialStride, Cols);

    /// <summary>Forward transform (<c>fft2</c>) in place: spatial → spectral.</summary>
    public void Forward()
    {
        if (IsSpectral) throw new InvalidOperationException("The frame already holds a spectrum.");
        owner.Transform(this, inverse: false);
        IsSpectral = true;
    }

    /// <summary>Inverse transform, unscaled (<c>ifft2</c> × Rows·Cols), in place: spectral → spatial.</summary>
    public void Inverse()
    {
        if (!IsSpectral) throw new InvalidOperationException("The frame holds spatial values, not a spectrum.");
        owner.Transform(this, inverse: true);
        IsSpectral = false;
    }

    /// <summary>
    /// Splits the spectrum Z of a packed pair <c>a + i·b</c> (a, b real) into Â (left here) and B̂ (written to
    /// <paramref name="second"/>): <c>Â(k) = (Z(k) + conj Z(−k)) / 2</c>, <c>B̂(k) = (Z(k) − conj Z(−k)) / 2i</c>.
    /// </summary>
    public void SplitPair(SpectralFrame second)
    {
        ArgumentNullException.ThrowIfNull(second);
        if (!IsSpectral) throw new InvalidOperationException("Split a spectrum: call Forward first.");
        if (second.Rows != Rows || second.Cols != Cols || ReferenceEquals(second, this)) throw new ArgumentException("The second frame must be another frame of the same size.", nameof(second));
        double[] zr = re, zi = im, br = second.re, bi = second.im;
        for (int k1 = 0; k1 < Cols; k1++)
        {
            // The second frame's padding lanes are zeroed, as a transform leaves them: point-wise loops run over them.
            br.AsSpan(k1 * SpectralStride + Rows, SpectralStride - Rows).Clear();
            bi.AsSpan(k1 * SpectralStride + Rows, SpectralStride - Rows).Clear();
            int m1 = k1 == 0 ? 0 : Cols - k1;
            for (int k0 = 0; k0 < Rows; k0++)
            {
                int i = k1 * SpectralStride + k0, j = m1 * SpectralStride + (k0 == 0 ? 0 : Rows - k0);
                if (j < i) continue; // done with its mirror
                double ar = zr[i], ai = zi[i], mr = zr[j], mi = zi[j];
                zr[i] = 0.5 * (ar + mr);
                zi[i] = 0.5 * (ai - mi);
                br[i] = 0.5 * (ai + mi);
                bi[i] = 0.5 * (mr - ar);
                if (j == i) continue;
                zr[j] = 0.5 * (mr + ar);
                zi[j] = 0.5 * (mi - ai);
                br[j] = 0.5 * (mi + ai);
                bi[j] = 0.5 * (ar - mr);
            }
        }
        second.IsSpectral = true;
    }

    /// <summary>Returns the frame to its thread's pool.</summary>
    public void Dispose() => owner.Return(this);

    internal double[] Re => re;

    internal double[] Im => im;

    private SpectralFrame Spatial() =>
        IsSpectral ? throw new InvalidOperationException("The frame holds a spectrum (transposed); rows are for spatial values.") : this;

    private static int PadLanes(int n) => (n + FftPlan.LaneMultiple - 1) / FftPlan.LaneMultiple * FftPlan.LaneMultiple;
}
