namespace ImageReducer.Engine.Mapping.Spectral;

/// <summary>
/// The calling thread's FFT plans (one per length), scratch arrays (one pair per frame capacity) and pooled
/// <see cref="SpectralFrame"/>s, kept across cells so that a run over cells of one size plans and allocates once per
/// worker thread.
/// </summary>
internal sealed class SpectralWorkspace
{
    [ThreadStatic] private static SpectralWorkspace? current;

    private readonly Dictionary<int, FftPlan> plans = [];
    private readonly Dictionary<int, (double[] Re, double[] Im)> scratch = [];
    private readonly Dictionary<(int, int), Stack<SpectralFrame>> free = [];

    public static SpectralWorkspace Current => current ??= new SpectralWorkspace();

    public FftPlan Plan(int length)
    {
        if (!plans.TryGetValue(length, out FftPlan? plan)) plans[length] = plan = new FftPlan(length);
        return plan;
    }

    public SpectralFrame Rent(int rows, int cols)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(cols, 1);
        if (free.TryGetValue((rows, cols), out Stack<SpectralFrame>? stack) && stack.TryPop(out SpectralFrame? frame))
        {
            frame.Clear();
            return frame;
        }
        return new SpectralFrame(this, rows, cols);
    }

    public void Return(SpectralFrame frame)
    {
        if (!free.TryGetValue((frame.Rows, frame.Cols), out Stack<SpectralFrame>? stack)) free[(frame.Rows, frame.Cols)] = stack = new Stack<SpectralFrame>();
        if (!stack.Contains(frame)) stack.Push(frame);
    }

    /// <summary>
    /// Forward: columns (length Rows, all columns as lanes), transpose, columns again (length Cols, the rows as
    /// lanes); the inverse runs the same steps back. The result is copied back into the frame's own arrays, so spans
    /// a caller holds on them stay valid across transforms.
    /// </summary>
    public void Transform(SpectralFrame frame, bool inverse)
    {
        if (!scratch.TryGetValue(frame.Capacity, out var work)) work = (new double[frame.Capacity], new double[frame.Capacity]);
        int rows = frame.Rows, cols = frame.Cols, sc = frame.SpatialStride, sr = frame.SpectralStride;
        if (!inverse)
        {
            Plan(rows).Transform(frame.Re, frame.Im, work.Re, work.Im, sc, inverse: false);
            Transpose(frame.Re, work.Re, rows, cols, sc, sr);
            Transpose(frame.Im, work.Im, rows, cols, sc, sr);
            Plan(cols).Transform(work.Re, work.Im, frame.Re, frame.Im, sr, inverse: false);
        }
        else
        {
            Plan(cols).Transform(frame.Re, frame.Im, work.Re, work.Im, sr, inverse: true);
            Transpose(frame.Re, work.Re, cols, rows, sr, sc);
            Transpose(frame.Im, work.Im, cols, rows, sr, sc);
            Plan(rows).Transform(work.Re, work.Im, frame.Re, frame.Im, sc, inverse: true);
        }
        work.Re.AsSpan().CopyTo(frame.Re);
        work.Im.AsSpan().CopyTo(frame.Im);
        scratch[frame.Capacity] = work;
    }

    /// <summary>dst[c, r] = src[r, c] for the valid rows × cols; dst's padding lanes (r ≥ rows) zeroed.</summary>
    private static void Transpose(double[] src, double[] dst, int rows, int cols, int srcStride, int dstStride)
    {
        const int tile = 16; // cache blocking: a tile of rows stays in L1 while its columns are written
        for (int r0 = 0; r0 < rows; r0 += tile)
        {
            int r1 = Math.Min(rows, r0 + tile);
            for (int c = 0; c < cols; c++)
            {
                int d = c * dstStride;
                for (int r = r0; r < r1; r++) dst[d + r] = src[r * srcStride + c];
            }
        }
        for (int c = 0; c < cols; c++) dst.AsSpan(c * dstStride + rows, dstStride - rows).Clear();
    }
}
