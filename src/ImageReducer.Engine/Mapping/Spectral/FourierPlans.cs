using System.Numerics;

namespace ImageReducer.Engine.Mapping.Spectral;

/// <summary>
/// 2-D discrete Fourier transforms of row-major arrays (<c>numpy.fft.fft2</c> / <c>ifft2</c> conventions), rows then
/// columns, with the 1-D plans of each length kept per thread and reused across cells: a run over cells of one size
/// plans each length once per worker thread.
/// </summary>
/// <remarks>
/// Every thread runs the same arithmetic in the same order, so a transform's result does not depend on the thread
/// that computes it (the outputs stay byte-identical whatever the parallelism).
/// </remarks>
public static class FourierPlans
{
    [ThreadStatic] private static Dictionary<int, FourierPlan>? plans;
    [ThreadStatic] private static Complex[]? column;

    /// <summary>The calling thread's plan for length <paramref name="length"/>.</summary>
    public static FourierPlan For(int length)
    {
        plans ??= [];
        if (!plans.TryGetValue(length, out FourierPlan? plan)) plans[length] = plan = new FourierPlan(length);
        return plan;
    }

    /// <summary>Forward 2-D transform of <paramref name="data"/> (<paramref name="rows"/> × <paramref name="cols"/>, row-major) in place.</summary>
    public static void Forward2D(Complex[] data, int rows, int cols) => Transform2D(data, rows, cols, inverse: false);

    /// <summary>
    /// Inverse 2-D transform (scaled by 1/(rows·cols)) in place. With <paramref name="rowNeeded"/>, only the rows it
    /// accepts are finished (the others hold intermediate values): a caller that crops the result saves their transforms.
    /// </summary>
    public static void Inverse2D(Complex[] data, int rows, int cols, Func<int, bool>? rowNeeded = null) =>
        Transform2D(data, rows, cols, inverse: true, rowNeeded);

    private static void Transform2D(Complex[] data, int rows, int cols, bool inverse, Func<int, bool>? rowNeeded = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length < rows * cols) throw new ArgumentException($"{data.Length} values cannot hold {rows} × {cols}.", nameof(data));
        FourierPlan rowPlan = For(cols), colPlan = For(rows);
        if (column is null || column.Length < rows) column = new Complex[Math.Max(rows, 64)];
        Span<Complex> col = column.AsSpan(0, rows);
        if (!inverse)
        {
            // Rows first. A zero row (most of a padded frame) transforms to zeros exactly: it is skipped.
            for (int r = 0; r < rows; r++)
            {
                Span<Complex> row = data.AsSpan(r * cols, cols);
                if (row.ContainsAnyExcept(Complex.Zero)) rowPlan.Forward(row);
            }
            Columns(data, rows, cols, colPlan, col, inverse: false);
            return;
        }
        // Inverse: columns first (every one is needed), then only the rows asked for. The separable transform gives
        // the same values in either order up to rounding; this order lets a crop skip rows.
        Columns(data, rows, cols, colPlan, col, inverse: true);
        for (int r = 0; r < rows; r++)
            if (rowNeeded is null || rowNeeded(r)) rowPlan.Inverse(data.AsSpan(r * cols, cols));
    }

    private static void Columns(Complex[] data, int rows, int cols, FourierPlan plan, Span<Complex> col, bool inverse)
    {
        for (int c = 0; c < cols; c++)
        {
            for (int r = 0; r < rows; r++) col[r] = data[r * cols + c];
            if (inverse) plan.Inverse(col); else plan.Forward(col);
            for (int r = 0; r < rows; r++) data[r * cols + c] = col[r];
        }
    }
}
